package io.tokenscope.sim.wire;

/**
 * vLLM's OpenAI-compatible streaming payloads, byte for byte in field order: the role chunk,
 * one chunk per emission, finish_reason on the last text chunk, an optional usage chunk with
 * empty choices, then {@code data: [DONE]}. SGLang's chunks have the same shape. Each method
 * appends one complete SSE event.
 */
public final class VllmFormat implements ChunkFormat {
    private final Api api;
    private final String id;
    private final long created;
    private final String model;
    private final boolean continuousUsage;
    private final boolean roleUsage;
    private final CacheReport cacheReport;
    /** Every chunk starts with the same id, object, created and model: built once per response. */
    private final String head;

    /**
     * continuousUsage: usage on every text chunk (stream_options.continuous_usage_stats);
     * roleUsage: on the role chunk too, with 0 completion tokens, as vLLM sends it (SGLang does
     * not); cacheReport: whether the final usage names the cached tokens.
     */
    public VllmFormat(Api api, String id, long created, String model, boolean continuousUsage, boolean roleUsage,
                      CacheReport cacheReport) {
        this.api = api;
        this.roleUsage = roleUsage;
        this.cacheReport = cacheReport;
        this.id = id;
        this.created = created;
        this.model = model;
        this.continuousUsage = continuousUsage;
        StringBuilder out = new StringBuilder(192).append("data: {\"id\":");
        Json.quote(out, id).append(",\"object\":\"").append(api.chunkObject).append("\",\"created\":").append(created)
                .append(",\"model\":");
        this.head = Json.quote(out, model).toString();
    }

    /** Chat only: the first chunk announces the assistant role with empty content. */
    @Override
    public void roleChunk(StringBuilder out, Usage usage) {
        out.append(head).append(",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},")
                .append("\"logprobs\":null,\"finish_reason\":null}]");
        if (roleUsage) {
            usage.appendCounts(out.append(",\"usage\":"));
        }
        out.append("}\n\n");
    }

    @Override
    public void textChunk(StringBuilder out, CharSequence text, String finishReason, Usage usage) {
        out.append(head).append(",\"choices\":[{\"index\":0,");
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
            usage.appendCounts(out.append(",\"usage\":"));
        }
        out.append("}\n\n");
    }

    /** SGLang's closing chunk: empty delta (or text), only the finish reason. */
    @Override
    public void finishChunk(StringBuilder out, String finishReason, Usage usage) {
        out.append(head).append(",\"choices\":[{\"index\":0,");
        out.append(api == Api.CHAT ? "\"delta\":{}" : "\"text\":\"\"");
        Json.quote(out.append(",\"logprobs\":null,\"finish_reason\":"), finishReason);
        out.append("}]}\n\n");
    }

    @Override
    public void usageChunk(StringBuilder out, Usage usage) {
        usage.appendTo(out.append(head).append(",\"choices\":[],\"usage\":"), cacheReport, false);
        out.append("}\n\n");
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
        usage.appendTo(out, cacheReport, true);
        return out.append('}').toString();
    }
}
