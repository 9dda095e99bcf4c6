package io.tokenscope.producer.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartPacerTest {
    @Test
    void workQueuedByAStartRunsBeforeTheNextStart() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
            EventLoop loop = context.nettyEventLoop();
            List<String> order = new ArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            loop.execute(() -> {
                StartPacer pacer = new StartPacer(context);
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    pacer.add(() -> {
                        order.add("start " + n);
                        // Stands for the I/O a start lets in: read on the loop before the next start.
                        loop.execute(() -> order.add("read after " + n));
                        if (n == 2) loop.execute(() -> done.complete(order));
                    });
                }
                order.add("all added");
            });
            assertEquals(List.of("all added", "start 0", "read after 0", "start 1", "read after 1", "start 2",
                    "read after 2"), done.get(10, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Every request of a burst at once, on pooled connections, with starts made slow on purpose
     * (5 ms each, 300 ms for the burst). The first answer must be read while later requests are
     * still being started, not after the whole burst: it used to be stamped that late.
     */
    @Test
    void aBurstOfStartsDoesNotHoldBackTheFirstAnswers() throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "1", "--itl-ms", "1", "--output-tokens", "1", "--event-loops", "1"}));
        Vertx vertx = Vertx.vertx();
        try {
            int burst = 60;
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(burst));
            Endpoint endpoint = Endpoint.parse(sim.baseUrl(), "--endpoint");
            RunContext ctx = new RunContext("r", "s", 1, 0, sim.baseUrl(), "m", "chat");
            List<Prompt> prompts = Collections.nCopies(burst, new Prompt("hi", 1));
            // A first burst fills the pool, so the measured one finds every connection ready.
            new LoadDriver(vertx.getOrCreateContext(), http, endpoint, TelemetrySink.DISCARD, new MonotonicClock(), 5_000)
                    .run(ctx, prompts, "fill").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<RequestResult> results = new LoadDriver(vertx.getOrCreateContext(), http, endpoint, new SlowStarts(),
                    new MonotonicClock(), 5_000).run(ctx, prompts, "burst").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            long lastStart = results.stream().mapToLong(RequestResult::startMonoNs).max().orElseThrow();
            RequestResult first = results.get(0);
            assertTrue(first.ok(), first.errorMessage());
            long firstRead = first.startMonoNs() + first.ttftNs();
            assertTrue(firstRead < lastStart, "first answer read " + (firstRead - lastStart) / 1e6
                    + " ms after the last start; its TTFT " + first.ttftNs() / 1e6 + " ms");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }

    /**
     * On a Vert.x with several event loops, as any but the producer's own has, every callback of a
     * burst must still run on the driver's one thread: its counters take no locks.
     */
    @Test
    void everyCallbackOfABurstRunsOnTheDriversThread() throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "1", "--itl-ms", "1", "--output-tokens", "2"}));
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(4));
        try {
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            TelemetrySink recordThread = new TelemetrySink() {
                @Override
                public void started(RunContext ctx, String requestId, long startWallUs, int promptChars, int maxTokens) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void chunk(RunContext ctx, String requestId, int chunkIndex, int tokens, long arrivalNs,
                                  long wallUs, String text) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void finished(RunContext ctx, RequestResult result, long wallUs) {
                    threads.add(Thread.currentThread().getName());
                }
            };
            HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(40));
            RunContext ctx = new RunContext("r", "s", 1, 0, sim.baseUrl(), "m", "chat");
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(sim.baseUrl(), "--endpoint"),
                    recordThread, new MonotonicClock(), 5_000).onEachFinished(() -> threads.add(Thread.currentThread().getName()));
            List<RequestResult> closed = driver.run(ctx, Collections.nCopies(40, new Prompt("hi", 2)), "closed")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(40, closed.stream().filter(RequestResult::ok).count());
            assertEquals(1, threads.size(), "callbacks ran on " + threads);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }

    private static final class SlowStarts implements TelemetrySink {
        @Override
        public void started(RunContext ctx, String requestId, long startWallUs, int promptChars, int maxTokens) {
            long until = System.nanoTime() + 5_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void chunk(RunContext ctx, String requestId, int chunkIndex, int tokens, long arrivalNs, long wallUs,
                          String text) {}

        @Override
        public void finished(RunContext ctx, RequestResult result, long wallUs) {}
    }
}
