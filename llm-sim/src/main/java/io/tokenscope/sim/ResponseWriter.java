package io.tokenscope.sim;

import io.tokenscope.sim.fault.Fault;
import io.tokenscope.sim.metrics.ServerMetrics;
import io.tokenscope.sim.text.Answers;
import io.tokenscope.sim.truth.GroundTruth;
import io.tokenscope.sim.wire.Api;
import io.tokenscope.sim.wire.Usage;
import io.tokenscope.sim.wire.ChunkFormat;
import io.tokenscope.sim.wire.VllmFormat;
import io.tokenscope.sim.wire.WireStyle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Turns sampled tokens into what the client receives, whatever decides when tokens happen.
 * Streaming: the first token goes out at once (after the role chunk, for chat), later ones in
 * chunks of --stream-interval tokens, the last chunk carries finish_reason, then the usage
 * chunk (when asked for) and {@code [DONE]}. Not streaming: one JSON body at the end. A fault,
 * if the request has one, strikes when its token comes. Runs on the connection's event loop.
 */
final class ResponseWriter {
    /** Who the writer is answering and how; fixed for the request's life. */
    record Target(HttpServerResponse response, CompletionRequest request, ChunkFormat format, boolean includeUsage,
                  String responseId, String clientRequestId, Answers answers, int promptTokens, long receivedNs) {}

    private static final int LARGE_CHUNK_CHARS = 1 << 20;

    private final Vertx vertx;
    private final Target t;
    private final int streamInterval;
    private final Fault fault;
    private final GroundTruth truth;
    private final ServerMetrics metrics;
    private final Answers answers;
    private final WireStyle style;
    /** This write's events, built in place and reused: the chunk path makes no String of them. */
    private final StringBuilder event = new StringBuilder(256);
    private final StringBuilder batched = new StringBuilder();
    private int batchedEvents;
    private int writes;
    private long lastWriteNs;
    private int cached;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder whole = new StringBuilder();
    private final StringBuilder held = new StringBuilder();
    private Runnable onStop = () -> {};
    private int pendingTokens;
    private int sent;
    private int chunks;
    private long stalledUntilNs;
    private boolean endAfterStall;
    private boolean closed;
    private boolean finishing;
    private boolean malformedWhole;
    /** The drip fault's timer once it has struck: from then on the writer ignores the engine. */
    private long dripTimer = -1;
    private long stallTimer = -1;
    /**
     * {tokens, due ns} of each event with tokens that is batched or held but not yet written:
     * the ground truth and the metrics count each event the client will see, when it is sent.
     */
    private final java.util.ArrayDeque<long[]> unsent = new java.util.ArrayDeque<>();

    ResponseWriter(Vertx vertx, Target target, int streamInterval, Fault fault, GroundTruth truth,
                   ServerMetrics metrics, WireStyle style) {
        this.style = style;
        this.answers = target.answers();
        this.vertx = vertx;
        this.metrics = metrics;
        this.t = target;
        this.streamInterval = streamInterval;
        this.fault = fault;
        this.truth = truth;
        if (target.request().stream()) {
            target.response().setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache");
        }
        target.response().closeHandler(v -> stop("abort"));
    }

    boolean closed() {
        return closed;
    }

    /** What to stop (a timer, the engine's work) when the response ends early. */
    void onStop(Runnable action) {
        this.onStop = action;
    }

    /** reason: how /metrics counts the request, as vLLM's finished_reason would. */
    private void stop(String reason) {
        if (dripTimer >= 0) {
            vertx.cancelTimer(dripTimer);
        }
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
        if (!closed) {
            closed = true;
            onStop.run();
            countFinished(reason);
        }
    }

    private void countFinished(String reason) {
        metrics.finished((System.nanoTime() - t.receivedNs()) / 1e9, t.promptTokens(), sent, cached, reason);
    }

    /**
     * Why the answer ended: at max_tokens, "length"; before it (--output-tokens shorter), the
     * model's end of sequence, which vLLM reports as "stop".
     */
    private String finishReason() {
        return sent < t.request().maxTokens() ? "stop" : "length";
    }

    /** One sampled token; last: the request is finished; cachedTokens: prompt tokens served from cache. */
    void token(boolean last, int cachedTokens, long dueNs) {
        if (closed || dripTimer >= 0) {
            return;
        }
        String text = answers.token(sent);
        sent++;
        cached = Math.max(0, cachedTokens);
        if (!t.request().stream()) {
            wholeToken(text, last, cachedTokens);
            return;
        }
        pending.append(text);
        pendingTokens++;
        if (sent > 1 && !last && pendingTokens < streamInterval) {
            return;
        }
        boolean strikes = fault != null && !fault.kind().beforeStream() && sent - pendingTokens < fault.atToken()
                && fault.atToken() <= sent;
        event.setLength(0);
        if (sent == pendingTokens && t.request().api() == Api.CHAT) {
            t.format().roleChunk(event, new Usage(t.promptTokens(), 0, Math.max(0, cachedTokens)));
        }
        if (strikes) {
            switch (fault.kind()) {
                case RESET -> {
                    write(event, dueNs, 0);
                    stop("abort");
                    t.response().reset();
                    return;
                }
                case ERROR_EVENT -> {
                    event.append(style.dialect().errorEvent("simulated engine failure after " + sent + " tokens"));
                    if (style.doneAfterError()) {
                        event.append(VllmFormat.done());
                    }
                    stop("error");
                    t.response().end(style.frame(batched + event.toString()).toString());
                    batched.setLength(0);
                    recordSent();
                    return;
                }
                case MALFORMED -> event.append("data: {\"id\":\"").append(t.responseId()).append("\",\"choices\":[{\"delta\":\n\n");
                case LARGE_CHUNK -> {
                    String token = pending.toString();
                    pending.setLength(0);
                    while (pending.length() < LARGE_CHUNK_CHARS) pending.append(token);
                }
                case STALL -> stalledUntilNs = System.nanoTime() + fault.millis() * 1_000_000L;
                case DRIP -> {
                    // A server that ignores max_tokens and never ends, but is never silent for long.
                    last = false;
                    dripTimer = vertx.setPeriodic(fault.millis(), id -> drip(cachedTokens));
                }
                default -> { }
            }
        }
        Usage soFar = usage(cachedTokens);
        boolean finishInText = last && !style.separateFinishChunk();
        t.format().textChunk(event, pending, finishInText ? finishReason() : null, soFar);
        if (last && style.separateFinishChunk()) {
            t.format().finishChunk(event, finishReason(), soFar);
        }
        int tokens = pendingTokens;
        pending.setLength(0);
        pendingTokens = 0;
        if (last) {
            if (t.includeUsage()) {
                t.format().usageChunk(event, usage(cachedTokens));
            }
            if (fault == null || fault.kind() != Fault.Kind.NO_DONE) {
                event.append(VllmFormat.done());
            }
        }
        finishing = last;
        write(event, dueNs, tokens);
        if (last) {
            closed = true;
            countFinished(finishReason());
            if (held.length() > 0) {
                endAfterStall = true;
            } else {
                t.response().end();
            }
        }
    }

    /**
     * Not streaming, the body is one JSON object at the end, so a fault acts on that: reset and
     * error end the request where their token comes (an engine error is the dialect's 500), a
     * malformed body is cut short, a large chunk grows the text, a stall delays the answer, a
     * drip holds the body open with a space every interval (leading whitespace a JSON reader
     * accepts) and never ends it; no_done has nothing to omit.
     */
    private void wholeToken(String text, boolean last, int cachedTokens) {
        whole.append(text);
        if (fault == null || fault.kind().beforeStream() || fault.atToken() != sent) {
            if (last) endWhole(cachedTokens);
            return;
        }
        switch (fault.kind()) {
            case RESET -> {
                stop("abort");
                t.response().reset();
                return;
            }
            case ERROR_EVENT -> {
                stop("error");
                SimServer.answer(t.response(), style.dialect().httpError(500, "simulated engine failure after " + sent
                        + " tokens"));
                return;
            }
            case MALFORMED -> malformedWhole = true;
            case LARGE_CHUNK -> {
                while (whole.length() < LARGE_CHUNK_CHARS) whole.append(text);
            }
            case STALL -> stalledUntilNs = System.nanoTime() + fault.millis() * 1_000_000L;
            case DRIP -> {
                t.response().setChunked(true).putHeader("content-type", "application/json");
                dripTimer = vertx.setPeriodic(fault.millis(), id -> {
                    if (!closed) t.response().write(" ");
                });
                return;
            }
            default -> { }
        }
        if (last) endWhole(cachedTokens);
    }

    private void endWhole(int cachedTokens) {
        closed = true;
        countFinished(finishReason());
        String body = t.format().fullResponse(whole.toString(), finishReason(), usage(cachedTokens));
        String sentBody = malformedWhole ? body.substring(0, body.length() / 2) : body;
        long waitMs = (stalledUntilNs - System.nanoTime()) / 1_000_000;
        t.response().putHeader("content-type", "application/json");
        if (waitMs > 0) {
            stallTimer = vertx.setTimer(waitMs, id -> {
                stallTimer = -1;
                t.response().end(sentBody);
            });
        } else {
            t.response().end(sentBody);
        }
    }

    private void drip(int cachedTokens) {
        if (closed) {
            return;
        }
        pending.append(answers.token(sent));
        sent++;
        event.setLength(0);
        t.format().textChunk(event, pending, null, usage(cachedTokens));
        pending.setLength(0);
        write(event, System.nanoTime(), 1);
    }

    private void write(StringBuilder event, long dueNs, int tokens) {
        if (tokens > 0) {
            unsent.add(new long[] {tokens, dueNs});
        }
        long now = System.nanoTime();
        if (now < stalledUntilNs || held.length() > 0) {
            if (held.length() == 0) {
                stallTimer = vertx.setTimer(Math.max(1, (stalledUntilNs - now) / 1_000_000), id -> releaseHeld());
                // Events batched for the next write go out first when the stall ends, in order.
                held.append(batched);
                batched.setLength(0);
                batchedEvents = 0;
            }
            held.append(event);
            return;
        }
        batched.append(event);
        batchedEvents++;
        if (batchedEvents < style.eventsPerWrite() && !closed && pendingTokensLeft()) {
            return;
        }
        if (style.pingEvery() > 0 && ++writes % style.pingEvery() == 0) {
            batched.insert(0, style.ping());
        }
        t.response().write(utf8(style.frame(batched)));
        batched.setLength(0);
        batchedEvents = 0;
        recordSent();
    }

    /** Every unsent event with tokens has just been written. */
    private void recordSent() {
        long sentNs = System.nanoTime();
        for (long[] e; (e = unsent.poll()) != null; ) {
            metrics.sent(e[1], sentNs);
            if (chunks == 0) {
                metrics.firstToken((sentNs - t.receivedNs()) / 1e9);
            } else {
                metrics.interToken((sentNs - lastWriteNs) / 1e9);
            }
            lastWriteNs = sentNs;
            if (truth != null) {
                truth.record(new GroundTruth.Sent(t.clientRequestId(), t.responseId(), chunks, (int) e[0], t.receivedNs(),
                        e[1], sentNs));
            }
            chunks++;
        }
    }

    /** False once the request has sampled its last token, so nothing is held back at the end. */
    private boolean pendingTokensLeft() {
        return !finishing;
    }

    private void releaseHeld() {
        stallTimer = -1;
        if (held.length() > 0) {
            t.response().write(utf8(style.frame(held)));
            held.setLength(0);
            recordSent();
        }
        if (endAfterStall) {
            t.response().end();
        }
    }

    /** The events as UTF-8 in a buffer of their own, encoded straight from the builder. */
    private static Buffer utf8(CharSequence events) {
        // Sized exactly: writeUtf8 would first grow the buffer to three bytes a char.
        int length = ByteBufUtil.utf8Bytes(events);
        ByteBuf bytes = Unpooled.buffer(length);
        ByteBufUtil.reserveAndWriteUtf8(bytes, events, length);
        return Buffer.buffer(bytes);
    }

    private Usage usage(int cachedTokens) {
        return new Usage(t.promptTokens(), sent, Math.max(0, cachedTokens));
    }
}
