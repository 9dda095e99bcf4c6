package io.tokenscope.sim.wire;

/**
 * vLLM's OpenAI-compatible streaming payloads, byte for byte in field order: the role chunk,
 * one chunk per emission, finish_reason on the last text chunk, an optional usage chunk with
 * empty choices, then {@code data: [DONE]}. SGLang's chunks have the same shape. Each method
 * returns one complete SSE event.
 */
public final class VllmFormat implements ChunkFormat {
    private final Api api;
    private final String id;
    private final long created;
    private final String model;
    private final boolean continuousUsage;
    /** Every chunk starts with the same id, object, created and model: built once per response. */
    private final String head;

    /** continuousUsage: stream_options.continuous_usage_stats, usage on every chunk. */
    public VllmFormat(Api api, String id, long created, String model, boolean continuousUsage) {
        this.api = api;
        this.id = id;
        this.created = created;
        this.model = model;
        this.continuousUsage = continuousUsage;
        StringBuilder out = new StringBuilder(192).append("data: {\"id\":");
        Json.quote(out, id).append(",\"object\":\"").append(api.chunkObject).append("\",\"created\":").append(created)
                .append(",\"model\":");
        this.head = Json.quote(out, model).toString();
    }

    private StringBuilder head() {
        return new StringBuilder(head.length() + 160).append(head);
    }

    /** Chat only: the first chunk announces the assistant role with empty content. */
    @Override
    public String roleChunk() {
        return head().append(",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},")
                .append("\"logprobs\":null,\"finish_reason\":null}]}\n\n").toString();
    }

    @Override
    public String textChunk(String text, String finishReason, Usage usage) {
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
        if (continuousUsage) {
            usage.appendTo(out.append(",\"usage\":"));
        }
        return out.append("}\n\n").toString();
    }

    /** SGLang's closing chunk: empty delta (or text), only the finish reason. */
    @Override
    public String finishChunk(String finishReason, Usage usage) {
        StringBuilder out = head().append(",\"choices\":[{\"index\":0,");
        out.append(api == Api.CHAT ? "\"delta\":{}" : "\"text\":\"\"");
        Json.quote(out.append(",\"logprobs\":null,\"finish_reason\":"), finishReason);
        return out.append("}]}\n\n").toString();
    }

    @Override
    public String usageChunk(Usage usage) {
        StringBuilder out = head().append(",\"choices\":[],\"usage\":");
        usage.appendTo(out);
        return out.append("}\n\n").toString();
    }

    public static String done() {
        return "data: [DONE]\n\n";
    }

    @Override
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
}
