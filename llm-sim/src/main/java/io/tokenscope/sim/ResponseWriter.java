package io.tokenscope.sim;

import io.tokenscope.sim.text.OutputText;
import io.tokenscope.sim.wire.Api;
import io.tokenscope.sim.wire.Usage;
import io.tokenscope.sim.wire.VllmFormat;
import io.vertx.core.http.HttpServerResponse;

/**
 * Turns sampled tokens into what the client receives, whatever decides when tokens happen.
 * Streaming: the first token goes out at once (after the role chunk, for chat), later ones in
 * chunks of --stream-interval tokens, the last chunk carries finish_reason, then the usage
 * chunk (when asked for) and {@code [DONE]}. Not streaming: one JSON body at the end.
 * Runs on the connection's event loop.
 */
final class ResponseWriter {
    private final HttpServerResponse response;
    private final CompletionRequest request;
    private final VllmFormat format;
    private final long seed;
    private final int promptTokens;
    private final int streamInterval;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder whole = new StringBuilder();
    private int pendingTokens;
    private int sent;
    private boolean closed;

    ResponseWriter(HttpServerResponse response, CompletionRequest request, VllmFormat format, long seed,
                   int promptTokens, int streamInterval) {
        this.response = response;
        this.request = request;
        this.format = format;
        this.seed = seed;
        this.promptTokens = promptTokens;
        this.streamInterval = streamInterval;
        if (request.stream()) {
            response.setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache");
        }
    }

    boolean closed() {
        return closed;
    }

    void onClose(Runnable whenClientGoes) {
        response.closeHandler(v -> {
            if (!closed) {
                closed = true;
                whenClientGoes.run();
            }
        });
    }

    /** One sampled token; last: the request is finished; cachedTokens: prompt tokens served from cache. */
    void token(boolean last, int cachedTokens) {
        if (closed) {
            return;
        }
        String text = OutputText.token(seed, sent);
        sent++;
        if (!request.stream()) {
            whole.append(text);
            if (last) {
                closed = true;
                response.putHeader("content-type", "application/json")
                        .end(format.fullResponse(whole.toString(), "length", usage(cachedTokens)));
            }
            return;
        }
        pending.append(text);
        pendingTokens++;
        if (sent > 1 && !last && pendingTokens < streamInterval) {
            return;
        }
        StringBuilder event = new StringBuilder(256);
        if (sent == pendingTokens && request.api() == Api.CHAT) {
            event.append(format.roleChunk());
        }
        Usage running = request.continuousUsage() ? new Usage(promptTokens, sent, Math.max(0, cachedTokens)) : null;
        event.append(format.textChunk(pending.toString(), last ? "length" : null, running));
        pending.setLength(0);
        pendingTokens = 0;
        if (last) {
            if (request.includeUsage()) {
                event.append(format.usageChunk(usage(cachedTokens)));
            }
            event.append(VllmFormat.done());
            closed = true;
            response.end(event.toString());
        } else {
            response.write(event.toString());
        }
    }

    private Usage usage(int cachedTokens) {
        return new Usage(promptTokens, sent, Math.max(0, cachedTokens));
    }
}
