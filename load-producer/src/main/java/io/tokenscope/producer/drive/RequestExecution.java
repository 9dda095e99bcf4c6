package io.tokenscope.producer.drive;

import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.sse.SseParser;
import io.tokenscope.producer.sse.StreamChunk;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * One streaming request, entirely on its event loop: every chunk is timestamped with
 * System.nanoTime() in the handler that receives its bytes, before anything else is done
 * with them. Whatever happens (HTTP error, reset, malformed chunk, in-stream error, timeout)
 * the request finishes exactly once with what was measured up to then.
 */
final class RequestExecution {
    private final HttpClient client;
    private final java.util.function.Supplier<RequestOptions> requestOptions;
    private RequestOptions options;
    private final java.util.function.Supplier<Buffer> body;
    private final RunContext ctx;
    private final String requestId;
    private final TelemetrySink sink;
    private final MonotonicClock clock;
    private final long deadlineMs;
    private final Promise<RequestResult> done = Promise.promise();
    private HttpClientRequest request;
    private io.vertx.core.Vertx vertx;
    private long deadlineTimer = -1;
    private long silenceTimer = -1;
    private int maxTokens;

    private long startNs;
    private int httpStatus;
    private long ttftNs = -1;
    private long lastChunkNs;
    private long[] gaps = new long[32];
    private int[] chunkTokens = new int[32];
    private int chunks;
    private final StringBuilder text = new StringBuilder();
    private final StreamChunk.Reader reader = new StreamChunk.Reader();
    private int outputTokens;
    private int lastCompletionTokens;
    private boolean sawDone;
    private String finishReason;
    private Integer promptTokens, completionTokens, cachedTokens;
    private String streamError;
    private String malformed;
    private int malformedCount;
    private boolean finished;
    private long intendedStartNs = -1;
    /** When the end of the stream arrived; 0 until it has. */
    private long streamEndNs;
    /** When the latest bytes of the response arrived. */
    private long lastDataNs;

    /**
     * requestOptions and body are asked for when the request starts, so that what they refuse
     * or throw fails this request alone.
     */
    RequestExecution(HttpClient client, java.util.function.Supplier<RequestOptions> requestOptions,
                     java.util.function.Supplier<Buffer> body,
                     RunContext ctx, String requestId, TelemetrySink sink, MonotonicClock clock, long deadlineMs) {
        this.client = client;
        this.requestOptions = requestOptions;
        this.body = body;
        this.ctx = ctx;
        this.requestId = requestId;
        this.sink = sink;
        this.clock = clock;
        this.deadlineMs = deadlineMs;
    }

    /** intendedStartNs: when the schedule meant this request to go out; -1 when it has no schedule. */
    Future<RequestResult> run(int promptChars, int maxTokens, long intendedStartNs) {
        this.intendedStartNs = intendedStartNs;
        this.maxTokens = maxTokens;
        // Until a connection is in hand the request has not reached the server; if none can be
        // had, this is the start the failure is reported against.
        startNs = System.nanoTime();
        Buffer payload;
        try {
            // Vert.x refuses some header values (control characters) by throwing here; a throw out
            // of this method would leave the request never finished and its run waiting forever.
            options = requestOptions.get();
            payload = body.get();
        } catch (RuntimeException e) {
            sink.started(ctx, requestId, clock.wallUs(startNs), promptChars, maxTokens);
            fail("client_error", e);
            return done.future();
        }
        client.request(new RequestOptions(options).setMethod(HttpMethod.POST))
                .onFailure(e -> {
                    sink.started(ctx, requestId, clock.wallUs(startNs), promptChars, maxTokens);
                    fail(classify(e, "connect_error"), e);
                })
                .onSuccess(req -> {
                    request = req;
                    req.exceptionHandler(e -> fail(classify(e, "stream_reset"), e));
                    req.response().onSuccess(this::onResponse).onFailure(e -> fail(classify(e, "stream_reset"), e));
                    // Time zero is the write of the request on its connection: waiting for a pooled
                    // connection is the client's own queueing, not the server's latency.
                    startNs = System.nanoTime();
                    watchDeadline(io.vertx.core.Vertx.currentContext().owner());
                    sink.started(ctx, requestId, clock.wallUs(startNs), promptChars, maxTokens);
                    try {
                        req.end(payload);
                    } catch (RuntimeException e) {
                        // A future's handler that throws is only logged: the request would wait
                        // for its deadline unfinished, and keep its pooled connection.
                        fail("client_error", e);
                        req.reset(0, e);
                    }
                });
        return done.future();
    }

    private void onResponse(HttpClientResponse response) {
        if (finished) {
            return; // ended while waiting for the head; the request was reset then
        }
        httpStatus = response.statusCode();
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        lastDataNs = System.nanoTime();
        watchForSilence(options.getIdleTimeout());
        if (httpStatus != 200) {
            readErrorBody(response);
            return;
        }
        SseParser parser = new SseParser(this::onEvent, this::onErrorField);
        // One epoll wake-up often brings chunks for many streams at once, handled one socket after
        // another. Parsing in the handler would make each later socket's timestamp wait for the
        // earlier ones' parsing; so the handler only reads the clock and queues the work on the
        // same loop, which runs it after every ready socket has been timestamped. The queue is
        // FIFO, so a stream's chunks, its end and its errors keep their order.
        response.handler(buffer -> {
            long arrivalNs = System.nanoTime();
            loop.runOnContext(v -> {
                parser.feed(buffer, arrivalNs);
                lastDataNs = Math.max(lastDataNs, parser.lastContentNs());
                if (parser.oversized() && !finished) {
                    abandon("oversized_event", "an SSE line or event passed " + SseParser.MAX_EVENT_BYTES + " bytes");
                }
            });
        });
        response.exceptionHandler(e -> {
            // The reset is timed when it arrives, like a chunk, not when its queued turn comes.
            long atNs = System.nanoTime();
            loop.runOnContext(v -> {
                if (!finished && streamEndNs == 0) {
                    streamEndNs = atNs;
                }
                fail(classify(e, "stream_reset"), e);
            });
        });
        response.endHandler(end -> {
            streamEndNs = System.nanoTime();
            loop.runOnContext(v -> {
                parser.end(streamEndNs);
                completeStream();
            });
        });
    }

    /**
     * An error answer's body, of which the result keeps the start: read as it comes rather than
     * whole, so a huge body is not held and one that stalls is ended by the silence watchdog
     * instead of holding the run open.
     */
    private void readErrorBody(HttpClientResponse response) {
        Buffer kept = Buffer.buffer();
        response.handler(b -> {
            lastDataNs = System.nanoTime();
            if (kept.length() < ERROR_BODY_BYTES) {
                kept.appendBuffer(b, 0, Math.min(b.length(), ERROR_BODY_BYTES - kept.length()));
            }
        });
        response.exceptionHandler(e -> finish(false, "http_" + httpStatus, e.toString()));
        response.endHandler(v -> {
            streamEndNs = System.nanoTime();
            finish(false, "http_" + httpStatus, abbreviated(kept.toString()));
        });
    }

    /**
     * Most answer text kept per request, for the accuracy check that reads the answer's start:
     * a server that ignores max_tokens must not grow the heap without end.
     */
    static final int MAX_TEXT_CHARS = 1 << 20;

    /** Bytes of an error body kept: enough for abbreviated's 500 characters in any UTF-8. */
    private static final int ERROR_BODY_BYTES = 2_000;

    /**
     * Fails the request once the stream has been silent for the timeout. The client's own idle
     * timeout only covers the wait for the response head, not a stream that stops mid-way. One
     * timer per request, re-armed for the remaining time, so a busy stream costs nothing extra.
     */
    private void watchForSilence(long timeoutMs) {
        long silentMs = (System.nanoTime() - lastDataNs) / 1_000_000;
        silenceTimer = vertx.setTimer(Math.max(1, timeoutMs - silentMs), id -> {
            silenceTimer = -1;
            if (finished) {
                return;
            }
            long silent = (System.nanoTime() - lastDataNs) / 1_000_000;
            if (silent < timeoutMs) {
                watchForSilence(timeoutMs);
                return;
            }
            abandon("timeout", "the stream was silent for " + silent + " ms (--timeout-s)");
        });
    }

    /**
     * Ends the request once it has run for the deadline, however busy its stream: a server that
     * drips a token now and then is never silent long enough for the watchdog above.
     */
    private void watchDeadline(io.vertx.core.Vertx owner) {
        vertx = owner;
        deadlineTimer = owner.setTimer(deadlineMs, id -> {
            deadlineTimer = -1;
            if (!finished) {
                abandon("deadline", "the request was still open after " + deadlineMs / 1000.0
                        + " s (--request-timeout-s), with " + chunks + " chunks received");
            }
        });
    }

    /**
     * Finish reasons that, before any text, mean a token was generated that carried no visible
     * text: the end of sequence (stop; TGI's eos_token and stop_sequence), or max_tokens spent on
     * a token the server strips, such as a reasoning parser's opening tag (length). Any other
     * reason (abort, content_filter, one this list does not know) is no token.
     */
    private static final java.util.Set<String> TOKEN_FINISHES = java.util.Set.of("stop", "eos_token", "stop_sequence",
            "length");

    /**
     * Chunks with text a stream may bring before it is ended as a runaway: a chunk carries at
     * least one token, so a server keeping to max_tokens stays well below this. One that does
     * not would grow the request's gap arrays for as long as it streams.
     */
    static long maxChunks(int maxTokens) {
        return 2L * maxTokens + 16;
    }

    /** Finishes with what was measured so far and drops the connection, so the server stops sending. */
    private void abandon(String errorClass, String message) {
        finish(false, errorClass, message);
        if (request != null) {
            request.reset();
        }
    }

    private void onEvent(byte[] data, int length, long arrivalNs) {
        if (finished) {
            return;
        }
        if (StreamChunk.isDone(data, length)) {
            sawDone = true;
            return;
        }
        StreamChunk chunk;
        try {
            chunk = reader.read(data, length);
        } catch (StreamChunk.Malformed e) {
            malformedCount++;
            if (malformed == null) {
                malformed = e.getMessage();
            }
            return;
        }
        if (chunk.error() != null) {
            // Kept short as an error body is: the whole message goes into one Kafka record.
            streamError = abbreviated(chunk.error());
        }
        // A reasoning model's thinking is generated tokens like its answer (and counted in the
        // usage's completion tokens), so its chunks are timed alike: the first token is the first
        // thinking token, the first a client receives. Only answer text goes into the result.
        // Such a finish with no token before it is a token with no visible text (TOKEN_FINISHES):
        // an empty answer, whose one token still arrived then, as vLLM's benchmark times it.
        boolean emptyAnswer = chunks == 0 && chunk.finishReason() != null
                && TOKEN_FINISHES.contains(chunk.finishReason());
        if (chunk.hasText() || chunk.hasReasoning() || emptyAnswer) {
            int tokens = 1;
            if (chunk.completionTokens() != null) {
                // Continuous usage stats say exactly how many tokens this chunk carried.
                tokens = Math.max(1, chunk.completionTokens() - lastCompletionTokens);
                lastCompletionTokens = chunk.completionTokens();
            }
            recordChunk(arrivalNs, tokens, chunk.hasText() ? chunk.text() : chunk.hasReasoning() ? chunk.reasoning() : "",
                    chunk.hasText() || !chunk.hasReasoning());
        }
        if (chunk.finishReason() != null) {
            finishReason = abbreviated(chunk.finishReason());
        }
        if (chunk.promptTokens() != null) promptTokens = chunk.promptTokens();
        if (chunk.completionTokens() != null) completionTokens = chunk.completionTokens();
        if (chunk.cachedTokens() != null) cachedTokens = chunk.cachedTokens();
    }

    private void onErrorField(String value, long arrivalNs) {
        if (!finished && streamError == null) {
            streamError = abbreviated(value);
        }
    }

    private void recordChunk(long arrivalNs, int tokens, String text, boolean answer) {
        long sinceStart = arrivalNs - startNs;
        if (chunks == 0) {
            ttftNs = sinceStart;
        } else {
            if (chunks - 1 == gaps.length) {
                gaps = Arrays.copyOf(gaps, gaps.length * 2);
            }
            gaps[chunks - 1] = arrivalNs - lastChunkNs;
        }
        if (chunks == chunkTokens.length) {
            chunkTokens = Arrays.copyOf(chunkTokens, chunkTokens.length * 2);
        }
        chunkTokens[chunks] = tokens;
        lastChunkNs = arrivalNs;
        outputTokens += tokens;
        if (answer && this.text.length() < MAX_TEXT_CHARS) {
            this.text.append(text, 0, Math.min(text.length(), MAX_TEXT_CHARS - this.text.length()));
        }
        sink.chunk(ctx, requestId, chunks, tokens, sinceStart, clock.wallUs(arrivalNs), text);
        chunks++;
        if (chunks > maxChunks(maxTokens)) {
            abandon("runaway_stream", "the server sent " + chunks + " chunks with text for max_tokens " + maxTokens
                    + "; it does not keep to max_tokens");
        }
    }

    private void completeStream() {
        if (streamError != null) {
            finish(false, "stream_error", streamError);
        } else if (malformed != null) {
            finish(false, "malformed_chunk", malformedCount + " malformed chunk(s), first: " + malformed);
        } else if (!sawDone && finishReason == null) {
            finish(false, "truncated_stream", "stream ended without [DONE] or a finish_reason");
        } else if (chunks == 0) {
            finish(false, "no_output", "the stream ended without a single token");
        } else {
            finish(true, null, null);
        }
    }

    private void fail(String errorClass, Throwable e) {
        finish(false, errorClass, String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private static String classify(Throwable e, String otherwise) {
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")
                || String.valueOf(e.getMessage()).contains("timeout")) {
            return "timeout";
        }
        if (e instanceof java.net.ConnectException) {
            return "connect_error";
        }
        return otherwise;
    }

    /** The start of a server's error text, enough to name the failure in a result. */
    private static String abbreviated(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    private void finish(boolean ok, String errorClass, String message) {
        if (finished) {
            return;
        }
        finished = true;
        reader.close();
        // A finished request's timers would keep it, and all it holds, until they fire.
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
        }
        if (silenceTimer >= 0) {
            vertx.cancelTimer(silenceTimer);
        }
        long endNs = streamEndNs > 0 ? streamEndNs : System.nanoTime();
        int gapCount = Math.max(0, chunks - 1);
        RequestResult result = new RequestResult(requestId, ok, httpStatus, errorClass, message, ttftNs,
                Arrays.copyOf(gaps, gapCount), Arrays.copyOf(chunkTokens, chunks), endNs - startNs, chunks,
                outputTokens, finishReason, promptTokens, completionTokens, cachedTokens,
                intendedStartNs < 0 ? 0 : Math.max(0, startNs - intendedStartNs), text.toString(), startNs);
        sink.finished(ctx, result, clock.wallUs(endNs));
        done.complete(result);
    }
}
