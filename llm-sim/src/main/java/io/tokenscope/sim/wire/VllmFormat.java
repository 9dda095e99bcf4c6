package io.tokenscope.sim.wire;

/**
 * vLLM's OpenAI-compatible streaming payloads, byte for byte in field order: the role chunk,
 * one chunk per emission, finish_reason on the last text chunk, an optional usage chunk with
 * empty choices, then {@code data: [DONE]}. Each method returns one complete SSE event.
 */
public final class VllmFormat {
    private final Api api;
    private final String id;
    private final long created;
    private final String model;

    public VllmFormat(Api api, String id, long created, String model) {
        this.api = api;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    private StringBuilder head() {
        StringBuilder out = new StringBuilder(192).append("data: {\"id\":");
        Json.quote(out, id).append(",\"object\":\"").append(api.chunkObject).append("\",\"created\":").append(created)
                .append(",\"model\":");
        return Json.quote(out, model);
    }

    /** Chat only: the first chunk announces the assistant role with empty content. */
    public String roleChunk() {
        return head().append(",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},")
                .append("\"logprobs\":null,\"finish_reason\":null}]}\n\n").toString();
    }

    /** A chunk of generated text; finishReason is null except on the last one. */
    public String textChunk(String text, String finishReason, Usage continuousUsage) {
        StringBuilder out = head().append(",\"choices\":[{\"index\":0,");
        if (api == Api.CHAT) {
            Json.quote(out.append("\"delta\":{\"content\":"), text).append("},\"logprobs\":null,\"finish_reason\":");
        } else {
            Json.quote(out.append("\"text\":"), text).append(",\"logprobs\":null,\"finish_reason\":");
        }
        if (finishReason == null) {
            out.append("null");
        } else {
            Json.quote(out, finishReason);
        }
        if (api == Api.COMPLETIONS || finishReason != null) {
            out.append(",\"stop_reason\":null");
        }
        out.append("}]");
        if (continuousUsage != null) {
            continuousUsage.appendTo(out.append(",\"usage\":"));
        }
        return out.append("}\n\n").toString();
    }

    /** SGLang-style closing chunk: empty delta (or text), only the finish reason. */
    public String finishChunk(String finishReason) {
        StringBuilder out = head().append(",\"choices\":[{\"index\":0,");
        out.append(api == Api.CHAT ? "\"delta\":{}" : "\"text\":\"\"");
        Json.quote(out.append(",\"logprobs\":null,\"finish_reason\":"), finishReason);
        return out.append("}]}\n\n").toString();
    }

    public String usageChunk(Usage usage) {
        StringBuilder out = head().append(",\"choices\":[],\"usage\":");
        usage.appendTo(out);
        return out.append("}\n\n").toString();
    }

    public static String done() {
        return "data: [DONE]\n\n";
    }

    /** The non-streaming response body. */
    public String fullResponse(String text, String finishReason, Usage usage) {
        StringBuilder out = new StringBuilder(256).append("{\"id\":");
        Json.quote(out, id).append(",\"object\":\"").append(api.fullObject).append("\",\"created\":").append(created)
                .append(",\"model\":");
        Json.quote(out, model).append(",\"choices\":[{\"index\":0,");
        if (api == Api.CHAT) {
            Json.quote(out.append("\"message\":{\"role\":\"assistant\",\"content\":"), text).append("},");
        } else {
            Json.quote(out.append("\"text\":"), text).append(',');
        }
        Json.quote(out.append("\"logprobs\":null,\"finish_reason\":"), finishReason).append(",\"stop_reason\":null}],\"usage\":");
        usage.appendTo(out);
        return out.append('}').toString();
    }

    /** An error reported inside an already started stream. */
    public String errorEvent(String message, String type, int code) {
        return "data: {\"error\":" + error(message, type, code) + "}\n\n";
    }

    /** vLLM's error body (ErrorResponse). */
    public static String error(String message, String type, int code) {
        StringBuilder out = new StringBuilder(128).append("{\"object\":\"error\",\"message\":");
        Json.quote(out, message).append(",\"type\":");
        return Json.quote(out, type).append(",\"param\":null,\"code\":").append(code).append('}').toString();
    }
}
