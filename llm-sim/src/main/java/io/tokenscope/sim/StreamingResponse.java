package io.tokenscope.sim;

import io.tokenscope.sim.text.OutputText;
import io.tokenscope.sim.wire.Api;
import io.tokenscope.sim.wire.Usage;
import io.tokenscope.sim.wire.VllmFormat;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;

/**
 * One streamed response on a fixed schedule: token k is sent at arrival + ttft + k * itl.
 * Each timer is set against that absolute time, so timer lateness never accumulates. Timers
 * go straight to the connection's Netty event loop with nanosecond delays: Vert.x timers
 * round to whole milliseconds, which alone would skew every inter-token gap.
 */
final class StreamingResponse {
    private final EventLoop loop;
    private final HttpServerResponse response;
    private final CompletionRequest request;
    private final VllmFormat format;
    private final long seed;
    private final long arrivalNs;
    private final long ttftNs;
    private final long itlNs;
    private final int outputTokens;
    private final int promptTokens;
    private int sent;
    private ScheduledFuture<?> timer;
    private boolean closed;

    StreamingResponse(EventLoop loop, HttpServerResponse response, CompletionRequest request, VllmFormat format,
                      long seed, long arrivalNs, SimConfig config, int promptTokens) {
        this.loop = loop;
        this.response = response;
        this.request = request;
        this.format = format;
        this.seed = seed;
        this.arrivalNs = arrivalNs;
        this.ttftNs = (long) (config.ttftMs() * 1e6);
        this.itlNs = (long) (config.itlMs() * 1e6);
        this.outputTokens = config.outputTokens() == 0 ? request.maxTokens()
                : Math.min(config.outputTokens(), request.maxTokens());
        this.promptTokens = promptTokens;
    }

    void start() {
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        response.closeHandler(v -> cancel());
        response.exceptionHandler(e -> cancel());
        scheduleNext();
    }

    private void scheduleNext() {
        long dueNs = arrivalNs + ttftNs + sent * itlNs;
        timer = loop.schedule(this::emit, Math.max(0, dueNs - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void emit() {
        if (closed) {
            return;
        }
        StringBuilder event = new StringBuilder(256);
        if (sent == 0 && request.api() == Api.CHAT) {
            event.append(format.roleChunk());
        }
        sent++;
        boolean last = sent == outputTokens;
        Usage running = request.continuousUsage() ? new Usage(promptTokens, sent, 0) : null;
        event.append(format.textChunk(OutputText.token(seed, sent - 1), last ? "length" : null, running));
        if (last) {
            if (request.includeUsage()) {
                event.append(format.usageChunk(new Usage(promptTokens, sent, 0)));
            }
            event.append(VllmFormat.done());
            closed = true;
            response.end(event.toString());
        } else {
            response.write(event.toString());
            scheduleNext();
        }
    }

    private void cancel() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
