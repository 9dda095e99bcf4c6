package io.tokenscope.sim.bench;

import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * How many concurrent streams the simulator serves while keeping its own send times honest.
 * Starts the simulator (fixed engine) and a minimal client in this JVM; the client holds
 * --streams streaming requests open at all times (each ended stream is replaced at once),
 * started evenly over one stream's lifetime so due times and replacements spread out. After a warm-up, it
 * reports the simulator's send lateness (write time minus due time, per chunk) and throughput.
 * --realtime-priority P raises only the simulator's threads: raising the client too put both
 * cores' worth of work in SCHED_FIFO, where the kernel's real-time throttling (95% of each
 * second) froze every stream for tens of milliseconds (measured p99 62-134 ms).
 *
 * <p>{@code java -cp llm-sim-app.jar io.tokenscope.sim.bench.SimBench --streams 5000 --itl-ms 50}
 */
public final class SimBench {
    private SimBench() {}

    public static void main(String[] args) throws Exception {
        int streams = 5000, tokens = 50, warmupS = 12, seconds = 20, clientLoops = 2, simLoops = 2, realtime = 0;
        double itlMs = 200, ttftMs = 50;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--streams" -> streams = Integer.parseInt(v);
                case "--tokens" -> tokens = Integer.parseInt(v);
                case "--itl-ms" -> itlMs = Double.parseDouble(v);
                case "--ttft-ms" -> ttftMs = Double.parseDouble(v);
                case "--warmup-s" -> warmupS = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--client-loops" -> clientLoops = Integer.parseInt(v);
                case "--sim-loops" -> simLoops = Integer.parseInt(v);
                case "--realtime-priority" -> realtime = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + " (--streams --tokens --itl-ms"
                        + " --ttft-ms --warmup-s --seconds --client-loops --sim-loops --realtime-priority)");
            }
        }
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", String.valueOf(ttftMs), "--itl-ms", String.valueOf(itlMs), "--output-tokens",
            String.valueOf(tokens), "--event-loops", String.valueOf(simLoops), "--realtime-priority",
            String.valueOf(realtime)}));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientLoops).setPreferNativeTransport(true));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(streams));
        AtomicLong open = new AtomicLong(), completed = new AtomicLong(), failed = new AtomicLong(), bytes = new AtomicLong();
        long deadline = System.nanoTime() + (long) (warmupS + seconds) * 1_000_000_000L;
        Buffer body = Buffer.buffer("{\"prompt\":\"benchmark the simulator\",\"max_tokens\":" + tokens + ",\"stream\":true}");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(sim.port()).setURI("/v1/completions").putHeader("content-type", "application/json");
        Runnable[] startOne = new Runnable[1];
        startOne[0] = () -> {
            if (System.nanoTime() > deadline) return;
            open.incrementAndGet();
            http.request(options).compose(req -> req.send(body)).onSuccess(resp -> {
                resp.handler(b -> bytes.addAndGet(b.length()));
                resp.endHandler(v -> {
                    open.decrementAndGet();
                    completed.incrementAndGet();
                    startOne[0].run();
                });
                resp.exceptionHandler(e -> {
                    open.decrementAndGet();
                    failed.incrementAndGet();
                });
            }).onFailure(e -> {
                open.decrementAndGet();
                failed.incrementAndGet();
            });
        };
        // Spread the starts over one stream's lifetime, so replacements arrive evenly too.
        long lifetimeMs = (long) (ttftMs + tokens * itlMs);
        for (int i = 0; i < streams; i++) {
            vertx.setTimer(1 + (long) i * lifetimeMs / streams, id -> startOne[0].run());
        }
        Thread.sleep(warmupS * 1000L);
        sim.metrics().latenessSinceLastCall();
        long done0 = completed.get(), bytes0 = bytes.get();
        long minOpen = Long.MAX_VALUE;
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            minOpen = Math.min(minOpen, open.get());
        }
        Histogram lateUs = sim.metrics().latenessSinceLastCall();
        long done = completed.get() - done0;
        System.out.printf("streams target %d, open at least %d during measurement, failed %d%n", streams, minOpen,
                failed.get());
        System.out.printf("chunks sent: %d (%.0f/s), streams completed: %d, client bytes/s: %.1f MB%n",
                lateUs.getTotalCount(), lateUs.getTotalCount() / (double) seconds, done,
                (bytes.get() - bytes0) / 1e6 / seconds);
        System.out.printf("send lateness (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                lateUs.getValueAtPercentile(50) / 1000.0, lateUs.getValueAtPercentile(90) / 1000.0,
                lateUs.getValueAtPercentile(99) / 1000.0, lateUs.getValueAtPercentile(99.9) / 1000.0,
                lateUs.getMaxValue() / 1000.0);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        sim.close();
        System.exit(0);
    }
}
