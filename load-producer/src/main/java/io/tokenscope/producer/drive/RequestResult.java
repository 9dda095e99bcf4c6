package io.tokenscope.producer.drive;

/**
 * What the client measured for one request. Times are monotonic nanoseconds since the
 * request was sent; -1 where the event never happened. gapsNs holds the time between
 * consecutive text chunks and chunkTokens how many tokens each text chunk carried. scheduleLagNs
 * is how late the request was written against its intended start (open-loop runs; 0 otherwise):
 * adding it to a latency gives the latency a user arriving on schedule would have seen.
 * startMonoNs is the System.nanoTime() of the request's write: on Linux that clock is shared by
 * every process on the host, so it lines the client's times up with a local server's own log.
 * serverCache is the growth of the server's prefix-cache counters from just before the request
 * to just after it (null unless scraped per request).
 */
public record RequestResult(String requestId, boolean ok, int httpStatus, String errorClass, String errorMessage,
                            long ttftNs, long[] gapsNs, int[] chunkTokens, long endNs, int chunks, int outputTokens,
                            String finishReason, Integer promptTokens, Integer completionTokens,
                            Integer cachedTokens, long scheduleLagNs, String text, long startMonoNs,
                            ServerCache serverCache) {

    /** Queried and hit prompt tokens by the server's own /metrics counters, over one request. */
    public record ServerCache(double queriedTokens, double hitTokens) {}

    public RequestResult(String requestId, boolean ok, int httpStatus, String errorClass, String errorMessage,
                         long ttftNs, long[] gapsNs, int[] chunkTokens, long endNs, int chunks, int outputTokens,
                         String finishReason, Integer promptTokens, Integer completionTokens,
                         Integer cachedTokens, long scheduleLagNs, String text, long startMonoNs) {
        this(requestId, ok, httpStatus, errorClass, errorMessage, ttftNs, gapsNs, chunkTokens, endNs, chunks,
                outputTokens, finishReason, promptTokens, completionTokens, cachedTokens, scheduleLagNs, text,
                startMonoNs, null);
    }

    public RequestResult withServerCache(ServerCache delta) {
        return new RequestResult(requestId, ok, httpStatus, errorClass, errorMessage, ttftNs, gapsNs, chunkTokens,
                endNs, chunks, outputTokens, finishReason, promptTokens, completionTokens, cachedTokens, scheduleLagNs,
                text, startMonoNs, delta);
    }

    /** Server-reported completion tokens when given, else what the client counted. */
    public int effectiveOutputTokens() {
        return completionTokens != null ? completionTokens : outputTokens;
    }
}
