package io.tokenscope.producer.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.report.RunSummary;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
    @Test
    void poissonGapsHaveTheRequestedMeanAndConstantGapsAreEven() {
        long[] poisson = Arrivals.offsetsNs(20_001, 50, 1, false, 1);
        assertEquals(400.0, poisson[20_000] / 1e9, 12.0, "20000 gaps at 50/s take about 400 s");
        long[] constant = Arrivals.offsetsNs(5, 10, 1, true, 1);
        assertEquals(List.of(0L, 100_000_000L, 200_000_000L, 300_000_000L, 400_000_000L),
                java.util.Arrays.stream(constant).boxed().toList());
        long[] bursty = Arrivals.offsetsNs(20_001, 50, 0.25, false, 2);
        assertEquals(400.0, bursty[20_000] / 1e9, 40.0, "burstiness keeps the mean rate");
    }

    @Test
    void aCapThatHoldsRequestsBackShowsUpAsScheduleLag() throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "40", "--itl-ms", "5", "--output-tokens", "4", "--event-loops", "1"}));
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(sim.baseUrl(), "--endpoint"),
                    TelemetrySink.DISCARD, new MonotonicClock(), 5_000);
            RunContext ctx = new RunContext("r", "s", 1, 1, sim.baseUrl(), "m", "chat");
            List<Prompt> prompts = Collections.nCopies(5, new Prompt("hi", 4));
            // 5 requests due 10 ms apart, but only one may be open and each takes ~55 ms.
            long[] offsets = Arrivals.offsetsNs(5, 100, 1, true, 1);
            List<RequestResult> results = driver.runAtSchedule(ctx, prompts, "ol", offsets, 1)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(5, results.size());
            assertTrue(results.get(0).scheduleLagNs() < 40_000_000L, "the first only waits for its connection");
            assertTrue(results.get(4).scheduleLagNs() > 150_000_000L, "the last waited for four before it");
            RunSummary s = RunSummary.of("r", results, 1);
            assertTrue(s.ttftFromIntended().max() > s.ttft().max() + 150, "latency from the intended start");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }
}
