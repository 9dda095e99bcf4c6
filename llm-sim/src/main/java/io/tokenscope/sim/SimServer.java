package io.tokenscope.sim;

import io.tokenscope.cli.Realtime;
import io.tokenscope.sim.engine.Engine;
import io.tokenscope.sim.engine.Scheduler;
import io.tokenscope.sim.engine.Sequence;
import io.tokenscope.sim.fault.Fault;
import io.tokenscope.sim.fault.FaultPlan;
import io.tokenscope.sim.metrics.ServerMetrics;
import io.tokenscope.sim.truth.GroundTruth;
import io.tokenscope.sim.text.Answers;
import io.tokenscope.sim.text.Tokenizer;
import io.tokenscope.sim.wire.Api;
import io.tokenscope.sim.wire.ChunkFormat;
import io.tokenscope.sim.wire.Dialect;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's HTTP front: OpenAI routes, one verticle per event loop sharing the port. */
public final class SimServer implements AutoCloseable {
    private final Vertx vertx;
    private final int port;
    private final Engine engine;
    private final GroundTruth truth;
    private final ServerMetrics metrics;

    private SimServer(Vertx vertx, int port, Engine engine, GroundTruth truth, ServerMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.port = port;
        this.engine = engine;
        this.truth = truth;
    }

    public static SimServer start(SimConfig config) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()).setPreferNativeTransport(true));
        AtomicLong requestCounter = new AtomicLong();
        Engine engine = config.engine().equals("vllm")
                ? new Engine(new Scheduler(config.maxNumSeqs(), config.maxBatchedTokens(), config.blockSize(),
                        config.kvCacheTokens() / config.blockSize(), config.cost()))
                : null;
        ServerMetrics metrics = new ServerMetrics(config.model());
        GroundTruth truth = config.groundTruth() == null ? null : new GroundTruth(Path.of(config.groundTruth()));
        Queue<Long> ioThreads = new ConcurrentLinkedQueue<>();
        SimServer server;
        try {
            // Verticles share a listening socket only when they ask for the same concrete port.
            SimConfig bound = config.port() == 0 ? config.withPort(freePort(config.host())) : config;
            await(vertx.deployVerticle(() -> new Front(bound, requestCounter, engine, truth, metrics, ioThreads),
                    new DeploymentOptions().setInstances(config.eventLoops())));
            server = new SimServer(vertx, bound.port(), engine, truth, metrics);
        } catch (Exception e) {
            vertx.close();
            if (engine != null) engine.close();
            if (truth != null) truth.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("llm-sim cannot listen on " + config.host() + ":" + config.port()
                    + " (--host/--port): " + cause.getMessage(), cause);
        }
        if (config.realtimePriority() > 0) {
            List<Long> timed = new ArrayList<>(ioThreads);
            if (engine != null) {
                timed.add(engine.threadId());
            }
            try {
                Realtime.raise(timed, config.realtimePriority(), "--realtime-priority");
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        return server;
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Whether epoll is in use; without it timers are only millisecond-precise. */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** The vLLM-style engine, or null with --engine fixed. */
    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        try {
            closeVertx();
        } finally {
            if (truth != null) {
                truth.close();
            }
        }
    }

    private void closeVertx() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("llm-sim did not stop cleanly", e);
        }
    }

    /** Ends a response with a server's error, its body as JSON where it has one. */
    static void answer(io.vertx.core.http.HttpServerResponse response, Dialect.HttpError error) {
        response.setStatusCode(error.status());
        if (error.body().isEmpty()) {
            response.end();
        } else {
            response.putHeader("content-type", "application/json").end(error.body());
        }
    }

    private static final class Front extends AbstractVerticle {
        private final SimConfig config;
        private final AtomicLong counter;
        private final Engine engine;
        private final GroundTruth truth;
        private final ServerMetrics metrics;
        private final Queue<Long> ioThreads;
        /**
         * Every request on this loop shares it, so the engine hands a step's tokens to each I/O
         * thread in one task (it groups deliveries by executor), not one task per stream.
         */
        private Executor onThisLoop;

        Front(SimConfig config, AtomicLong counter, Engine engine, GroundTruth truth, ServerMetrics metrics,
              Queue<Long> ioThreads) {
            this.metrics = metrics;
            this.ioThreads = ioThreads;
            this.config = config;
            this.counter = counter;
            this.engine = engine;
            this.truth = truth;
        }

        @Override
        public void start(Promise<Void> started) {
            Context loop = context;
            onThisLoop = task -> loop.runOnContext(v -> task.run());
            if (config.realtimePriority() > 0) {
                ioThreads.add(Realtime.currentThreadId());
            }
            vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                            .setTcpNoDelay(true).setIdleTimeout(0))
                    .requestHandler(this::route)
                    .listen()
                    .onSuccess(s -> started.complete())
                    .onFailure(started::fail);
        }

        private void route(HttpServerRequest req) {
            String path = req.path();
            if (req.method() == HttpMethod.GET && path.equals("/v1/models")) {
                req.response().putHeader("content-type", "application/json").end(models());
            } else if (req.method() == HttpMethod.POST && path.equals("/reset_prefix_cache")) {
                if (engine != null) {
                    engine.resetPrefixCache();
                }
                req.response().end();
            } else if (req.method() == HttpMethod.GET && path.equals("/metrics")) {
                req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.render(engine == null ? null : engine.snapshot()));
            } else if (req.method() == HttpMethod.GET && (path.equals("/health") || path.equals("/ping"))) {
                req.response().end();
            } else if (req.method() == HttpMethod.POST && path.equals("/v1/chat/completions")) {
                complete(req, Api.CHAT);
            } else if (req.method() == HttpMethod.POST && path.equals("/v1/completions")) {
                complete(req, Api.COMPLETIONS);
            } else {
                refuse(req, 404, "no route " + req.method() + " " + path);
            }
        }

        /** Answers with the error the configured server would send for this status. */
        private void refuse(HttpServerRequest req, int status, String message) {
            answer(req.response(), config.wire().dialect().httpError(status, message));
        }

        private String models() {
            return "{\"object\":\"list\",\"data\":[{\"id\":\"" + config.model() + "\",\"object\":\"model\",\"created\":"
                    + (System.currentTimeMillis() / 1000) + ",\"owned_by\":\"tokenscope\",\"root\":\"" + config.model()
                    + "\",\"parent\":null,\"max_model_len\":131072}]}";
        }

        private void complete(HttpServerRequest req, Api api) {
            req.body().onSuccess(body -> {
                // The schedule starts once the whole request has arrived, as a server's would.
                long arrivalNs = System.nanoTime();
                CompletionRequest request;
                try {
                    request = CompletionRequest.parse(api, body.getBytes(), config.defaultMaxTokens());
                } catch (CompletionRequest.BadRequest e) {
                    refuse(req, 400, e.getMessage());
                    return;
                }
                long n = counter.incrementAndGet();
                Fault fault;
                try {
                    fault = config.faults().choose(n, req.getHeader(FaultPlan.HEADER));
                } catch (IllegalArgumentException e) {
                    refuse(req, 400, FaultPlan.HEADER + ": " + e.getMessage());
                    return;
                }
                if (fault != null && fault.kind().beforeStream()) {
                    refuse(req, fault.kind().status(), "simulated " + fault.kind().status());
                    return;
                }
                String id = api.idPrefix() + Long.toHexString(n) + Long.toHexString(arrivalNs & 0xffffffL);
                Dialect.UsageAsked usage = config.wire().dialect().usageAsked(request.streamOptions());
                ChunkFormat format = config.wire().dialect().chunks(api, id, System.currentTimeMillis() / 1000,
                        request.model().isEmpty() ? config.model() : request.model(), usage.continuous(),
                        config.cacheReport());
                int[] promptIds = Tokenizer.ids(request.prompt());
                Answers answers = Answers.forPrompt(request.prompt(), n);
                ResponseWriter writer = new ResponseWriter(vertx, new ResponseWriter.Target(req.response(), request,
                        format, usage.include(), id, req.getHeader("x-request-id"), answers, promptIds.length, arrivalNs),
                        config.streamInterval(), fault, truth, metrics, config.wire());
                int tokens = config.tokensFor(request.maxTokens());
                if (engine == null) {
                    new FixedSchedule(((ContextInternal) context).nettyEventLoop(), writer, arrivalNs, config, tokens)
                            .start();
                    return;
                }
                Sequence seq;
                try {
                    seq = new Sequence(n, promptIds, tokens, config.blockSize(), answers::tokenId);
                } catch (IllegalArgumentException e) {
                    refuse(req, 400, e.getMessage());
                    return;
                }
                Engine.Listener listener = new Engine.Listener() {
                    @Override
                    public Executor executor() {
                        return onThisLoop;
                    }

                    @Override
                    public void onToken(Sequence s, boolean first, boolean last, long stepEndNs) {
                        writer.token(last, s.cachedTokens(), stepEndNs);
                    }
                };
                try {
                    engine.submit(seq, listener, arrivalNs);
                } catch (IllegalArgumentException e) {
                    refuse(req, 400, e.getMessage());
                    return;
                }
                writer.onStop(() -> engine.abort(seq));
            });
        }
    }
}
