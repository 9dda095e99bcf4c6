package io.tokenscope.sim.wire;

/**
 * Whether the final usage carries {@code prompt_tokens_details.cached_tokens}. Both servers
 * leave it out by default and never put it in continuous (per-chunk) usage.
 */
public enum CacheReport {
    /** vLLM without --enable-prompt-tokens-details, SGLang without --enable-cache-report. */
    OFF,
    /**
     * vLLM with --enable-prompt-tokens-details: always, 0 when nothing was cached (its chat
     * serving checks the count against None; releases before that checked it for truth and
     * left a 0 out, as {@link #WHEN_CACHED} does).
     */
    ALWAYS,
    /** SGLang with --enable-cache-report: only when some prompt tokens were cached. */
    WHEN_CACHED;

    boolean reports(int cachedTokens) {
        return this == ALWAYS || (this == WHEN_CACHED && cachedTokens > 0);
    }
}
