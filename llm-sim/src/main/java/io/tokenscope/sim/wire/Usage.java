package io.tokenscope.sim.wire;

/** Token accounting as vLLM reports it, cached tokens under prompt_tokens_details. */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {
    void appendTo(StringBuilder out) {
        out.append("{\"prompt_tokens\":").append(promptTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                .append(",\"completion_tokens\":").append(completionTokens)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens).append("}}");
    }
}
