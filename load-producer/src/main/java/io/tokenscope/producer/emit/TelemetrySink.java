package io.tokenscope.producer.emit;

import io.tokenscope.producer.drive.RequestResult;

/**
 * Where a request's events go. Called on the event loop, so implementations must only hand
 * the event off (no I/O, no locks held for long).
 */
public interface TelemetrySink {
    /** Drops everything: for requests whose events nobody reads. */
    TelemetrySink DISCARD = new TelemetrySink() {
        @Override
        public void started(RunContext ctx, String requestId, long startWallUs, int promptChars, int maxTokens) {}

        @Override
        public void chunk(RunContext ctx, String requestId, int chunkIndex, int tokens, long arrivalNs, long wallUs,
                          String text) {}

        @Override
        public void finished(RunContext ctx, RequestResult result, long wallUs) {}
    };

    void started(RunContext ctx, String requestId, long startWallUs, int promptChars, int maxTokens);

    void chunk(RunContext ctx, String requestId, int chunkIndex, int tokens, long arrivalNs, long wallUs, String text);

    void finished(RunContext ctx, RequestResult result, long wallUs);
}
