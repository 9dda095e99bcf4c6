package io.tokenscope.sim.wire;

/** Token accounting of one response. */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {
    /** vLLM and SGLang: cached tokens under prompt_tokens_details. */
    void appendTo(StringBuilder out) {
        out.append("{\"prompt_tokens\":").append(promptTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                .append(",\"completion_tokens\":").append(completionTokens)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens).append("}}");
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
