package io.tokenscope.producer.drive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.scenario.Prompt;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends a run's prompts, closed loop or open loop, on one event loop context (so its counters
 * need no locks). Closed loop keeps exactly {@code concurrency} requests in flight: a finished
 * request starts the next. Open loop sends at a planned arrival schedule whatever the server
 * does; when a concurrency cap holds a request back, the delay is recorded as schedule lag,
 * so latencies can be reported from the intended start (no coordinated omission).
 */
public final class LoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longest a request may run, unless {@link #withDeadline} says otherwise: an hour. */
    public static final long DEFAULT_DEADLINE_MS = 3_600_000;

    /** Internal for its Netty event loop and dispatch: the pacer runs starts as this context. */
    private final ContextInternal context;
    private final HttpClient client;
    private final Endpoint endpoint;
    private final TelemetrySink sink;
    private final MonotonicClock clock;
    private final long timeoutMs;
    private final RequestShape shape;
    private final long deadlineMs;
    private final Runnable onFinished;
    private final AroundRequest around;

    public LoadDriver(Context context, HttpClient client, Endpoint endpoint, TelemetrySink sink,
                      MonotonicClock clock, long timeoutMs) {
        this(context, client, endpoint, sink, clock, timeoutMs, RequestShape.DEFAULT);
    }

    /** timeoutMs: how long a request may stay silent; see also {@link #withDeadline}. */
    public LoadDriver(Context context, HttpClient client, Endpoint endpoint, TelemetrySink sink,
                      MonotonicClock clock, long timeoutMs, RequestShape shape) {
        this(context, client, endpoint, sink, clock, timeoutMs, shape, DEFAULT_DEADLINE_MS, () -> {},
                AroundRequest.NONE);
    }

    private LoadDriver(Context context, HttpClient client, Endpoint endpoint, TelemetrySink sink, MonotonicClock clock,
                       long timeoutMs, RequestShape shape, long deadlineMs, Runnable onFinished, AroundRequest around) {
        this.shape = shape;
        this.context = (ContextInternal) context;
        this.client = client;
        this.endpoint = endpoint;
        this.sink = sink;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.deadlineMs = deadlineMs;
        this.onFinished = onFinished;
        this.around = around;
    }

    private RequestOptions options(RunContext ctx, String requestId) {
        RequestOptions options = new RequestOptions().setHost(endpoint.host()).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(endpoint.path(apiPath(ctx.api())))
                .putHeader("content-type", "application/json").putHeader("accept", "text/event-stream")
                // vLLM takes X-Request-Id as its own request id, so server logs line up with ours.
                .putHeader("x-request-id", requestId)
                .setIdleTimeout(timeoutMs);
        shape.headers().forEach(options::putHeader);
        return options;
    }

    private RequestExecution execution(RunContext ctx, String requestId, Prompt prompt) {
        return new RequestExecution(client, () -> options(ctx, requestId), () -> body(ctx, prompt), ctx, requestId, sink,
                clock, deadlineMs);
    }

    /** The same driver, calling back (on the event loop; keep it cheap) as each request finishes. */
    public LoadDriver onEachFinished(Runnable callback) {
        return new LoadDriver(context, client, endpoint, sink, clock, timeoutMs, shape, deadlineMs, callback, around);
    }

    /** The same driver doing {@code work} around every request of a closed loop ({@link #run}). */
    public LoadDriver aroundEach(AroundRequest work) {
        return new LoadDriver(context, client, endpoint, sink, clock, timeoutMs, shape, deadlineMs, onFinished, work);
    }

    /** The same driver sending its telemetry elsewhere (warm-up requests go nowhere). */
    public LoadDriver withSink(TelemetrySink other) {
        return new LoadDriver(context, client, endpoint, other, clock, timeoutMs, shape, deadlineMs, onFinished, around);
    }

    /** The same driver ending any request still open after {@code ms}, however busy its stream. */
    public LoadDriver withDeadline(long ms) {
        return new LoadDriver(context, client, endpoint, sink, clock, timeoutMs, shape, ms, onFinished, around);
    }

    /** The same driver asking the simulator for a fault on every request (x-sim-fault); for tests. */
    public LoadDriver withFault(String spec) {
        return spec == null ? this : new LoadDriver(context, client, endpoint, sink, clock, timeoutMs,
                shape.withHeader("x-sim-fault", spec), deadlineMs, onFinished, around);
    }

    /** Sends every prompt at the given concurrency; the future completes with results in send order. */
    public Future<List<RequestResult>> run(RunContext ctx, List<Prompt> prompts, String requestIdPrefix) {
        Promise<List<RequestResult>> all = Promise.promise();
        List<RequestResult> results = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            results.add(null);
        }
        context.runOnContext(v -> {
            State state = new State(ctx, prompts, requestIdPrefix, results, all);
            // Concurrency 0 means all at once.
            int initial = ctx.concurrency() > 0 ? Math.min(ctx.concurrency(), prompts.size()) : prompts.size();
            if (initial == 0) {
                all.complete(results);
            }
            for (int i = 0; i < initial; i++) {
                state.next();
            }
        });
        return all.future();
    }

    private final class State {
        final RunContext ctx;
        final List<Prompt> prompts;
        final String prefix;
        final List<RequestResult> results;
        final Promise<List<RequestResult>> all;
        final StartPacer pacer = new StartPacer(context);
        int nextIndex;
        int completed;

        State(RunContext ctx, List<Prompt> prompts, String prefix, List<RequestResult> results,
              Promise<List<RequestResult>> all) {
            this.ctx = ctx;
            this.prompts = prompts;
            this.prefix = prefix;
            this.results = results;
            this.all = all;
        }

        void next() {
            if (nextIndex >= prompts.size()) {
                return;
            }
            int index = nextIndex++;
            pacer.add(() -> start(index));
        }

        private void start(int index) {
            Prompt prompt = prompts.get(index);
            String requestId = String.format("%s-%06d", prefix, index);
            Future<Function<RequestResult, Future<RequestResult>>> before;
            try {
                before = java.util.Objects.requireNonNull(around.before(), "around-request work gave no future");
            } catch (RuntimeException e) {
                before = Future.failedFuture(e);
            }
            before.onComplete(ready -> {
                Function<RequestResult, Future<RequestResult>> after =
                        ready.succeeded() ? ready.result() : Future::succeededFuture;
                execution(ctx, requestId, prompt).run(prompt.text().length(), prompt.maxTokens(), -1)
                        .onComplete(measured -> {
                            // What was measured is kept whatever the work after the request does.
                            RequestResult r = measured.result();
                            Future<RequestResult> post;
                            try {
                                post = java.util.Objects.requireNonNull(after.apply(r));
                            } catch (RuntimeException e) {
                                post = Future.succeededFuture(r);
                            }
                            post.onComplete(p -> finished(index, p.succeeded() && p.result() != null ? p.result() : r));
                        });
            });
        }

        private void finished(int index, RequestResult result) {
            onFinished.run();
            results.set(index, result);
            completed++;
            if (completed == prompts.size()) {
                all.complete(results);
            } else {
                next();
            }
        }
    }

    /**
     * Sends prompt i at offsetsNs[i] after the start (an arrival schedule from {@link Arrivals}),
     * with at most maxInFlight requests open; the future completes when all have finished.
     */
    public Future<List<RequestResult>> runAtSchedule(RunContext ctx, List<Prompt> prompts, String requestIdPrefix,
                                                     long[] offsetsNs, int maxInFlight) {
        Promise<List<RequestResult>> all = Promise.promise();
        RequestResult[] results = new RequestResult[prompts.size()];
        context.runOnContext(v -> new Schedule(ctx, prompts, requestIdPrefix, offsetsNs, maxInFlight, results, all).start());
        return all.future();
    }

    private final class Schedule {
        final RunContext ctx;
        final List<Prompt> prompts;
        final String prefix;
        final long[] offsetsNs;
        final int maxInFlight;
        final RequestResult[] results;
        final Promise<List<RequestResult>> all;
        final java.util.ArrayDeque<Integer> held = new java.util.ArrayDeque<>();
        final StartPacer pacer = new StartPacer(context);
        long startNs;
        int inFlight;
        int completed;

        Schedule(RunContext ctx, List<Prompt> prompts, String prefix, long[] offsetsNs, int maxInFlight,
                 RequestResult[] results, Promise<List<RequestResult>> all) {
            this.ctx = ctx;
            this.prompts = prompts;
            this.prefix = prefix;
            this.offsetsNs = offsetsNs;
            this.maxInFlight = maxInFlight;
            this.results = results;
            this.all = all;
        }

        void start() {
            if (prompts.isEmpty()) {
                all.complete(List.of());
                return;
            }
            startNs = System.nanoTime();
            io.netty.channel.EventLoop loop = eventLoop();
            for (int i = 0; i < prompts.size(); i++) {
                int index = i;
                loop.schedule(() -> arrive(index), offsetsNs[i], java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }

        void arrive(int index) {
            if (inFlight >= maxInFlight) {
                held.addLast(index);
                return;
            }
            send(index);
        }

        void send(int index) {
            inFlight++;
            pacer.add(() -> start(index));
        }

        private void start(int index) {
            Prompt prompt = prompts.get(index);
            String requestId = String.format("%s-%06d", prefix, index);
            execution(ctx, requestId, prompt).run(prompt.text().length(), prompt.maxTokens(), startNs + offsetsNs[index])
                    .onComplete(r -> {
                        onFinished.run();
                        results[index] = r.result();
                        inFlight--;
                        completed++;
                        if (completed == prompts.size()) {
                            all.complete(java.util.Arrays.asList(results));
                        } else if (!held.isEmpty()) {
                            send(held.pollFirst());
                        }
                    });
        }
    }

    private io.netty.channel.EventLoop eventLoop() {
        return context.nettyEventLoop();
    }

    static String apiPath(String api) {
        return api.equals("chat") ? "/v1/chat/completions" : "/v1/completions";
    }

    Buffer body(RunContext ctx, Prompt prompt) {
        ObjectNode body = JSON.createObjectNode().put("model", ctx.model());
        String text = shape.truncate(prompt.text());
        if (ctx.api().equals("chat")) {
            body.putArray("messages").addObject().put("role", "user").put("content", text);
        } else {
            body.put("prompt", text);
        }
        body.put("max_tokens", prompt.maxTokens()).put("stream", true);
        if (shape.temperature() != null) body.put("temperature", shape.temperature());
        if (shape.topP() != null) body.put("top_p", shape.topP());
        ObjectNode streamOptions = body.putObject("stream_options").put("include_usage", true);
        if (shape.continuousUsage()) {
            streamOptions.put("continuous_usage_stats", true);
        }
        return Buffer.buffer(body.toString());
    }
}
