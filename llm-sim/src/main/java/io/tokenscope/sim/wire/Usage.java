package io.tokenscope.sim.wire;

/** Token accounting of one response. */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {
    /** vLLM's and SGLang's continuous usage: the three counts, never cached tokens. */
    void appendCounts(StringBuilder out) {
        counts(out).append('}');
    }

    /**
     * vLLM's and SGLang's final usage, cached tokens under prompt_tokens_details as the server
     * reports them. nullWhenOff: a non-streaming body, which pydantic writes with the empty
     * field as null; streamed chunks leave it out.
     */
    void appendTo(StringBuilder out, CacheReport report, boolean nullWhenOff) {
        counts(out);
        if (report.reports(cachedTokens)) {
            out.append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens).append('}');
        } else if (nullWhenOff) {
            out.append(",\"prompt_tokens_details\":null");
        }
        out.append('}');
    }

    private StringBuilder counts(StringBuilder out) {
        return out.append("{\"prompt_tokens\":").append(promptTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                .append(",\"completion_tokens\":").append(completionTokens);
    }

    /** TGI's Usage struct: three counts in declaration order, no cache figure. */
    void appendTgi(StringBuilder out) {
        out.append("{\"prompt_tokens\":").append(promptTokens)
                .append(",\"completion_tokens\":").append(completionTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens).append('}');
    }

    /** llama.cpp's usage_json_oaicompat, keys in insertion order. */
    void appendLlamaCpp(StringBuilder out) {
        out.append("{\"completion_tokens\":").append(completionTokens)
                .append(",\"prompt_tokens\":").append(promptTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens).append("}}");
    }
}
