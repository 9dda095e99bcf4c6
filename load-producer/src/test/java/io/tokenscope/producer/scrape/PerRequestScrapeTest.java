package io.tokenscope.producer.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.drive.AroundRequest;
import io.tokenscope.producer.drive.Endpoint;
import io.tokenscope.producer.drive.LoadDriver;
import io.tokenscope.producer.drive.MonotonicClock;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.report.ResultFiles;
import io.tokenscope.producer.report.RunSummary;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.producer.scenario.RandomTexts;
import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics read before and after each request, against the vLLM-style simulator on loopback. */
class PerRequestScrapeTest {
    private static SimServer sim;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--model", "m", "--engine", "vllm",
            "--output-tokens", "4", "--event-loops", "1"}));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private List<RequestResult> run(AroundRequest around, List<Prompt> prompts) throws Exception {
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(),
                vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1)),
                Endpoint.parse(sim.baseUrl(), "--endpoint"), TelemetrySink.DISCARD, new MonotonicClock(), 10_000)
                .aroundEach(around);
        RunContext ctx = new RunContext("r", "s", 1, 1, sim.baseUrl(), "m", "completions");
        return driver.run(ctx, prompts, "req").toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void eachRequestGetsTheServersOwnHitDelta() throws Exception {
        try (CacheScrape scrape = new CacheScrape(vertx, sim.baseUrl() + "/metrics", null, null)) {
            String p = RandomTexts.words(new SplittableRandom(1), 200), q = RandomTexts.words(new SplittableRandom(2), 200);
            List<RequestResult> results = run(scrape.perRequest(), List.of(new Prompt(p, 4), new Prompt(p, 4),
                    new Prompt(q, 4)));
            for (RequestResult r : results) {
                assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
                assertNotNull(r.serverCache(), "scraped around " + r.requestId());
                assertEquals(r.promptTokens(), r.serverCache().queriedTokens(), 0.0, "queried = the request's prompt");
                assertEquals(r.cachedTokens(), r.serverCache().hitTokens(), 0.0, "server hits = usage's cached tokens");
            }
            assertEquals(0, results.get(0).serverCache().hitTokens(), 0.0, "first sight of p is a miss");
            assertTrue(results.get(1).serverCache().hitTokens() >= 192, "p again: " + results.get(1).serverCache());
            assertEquals(0, results.get(2).serverCache().hitTokens(), 0.0, "q shares nothing with p");

            Path dir = Files.createTempDirectory("per-request");
            ResultFiles.write(dir, List.of(new ResultFiles.Config(1, 1, "s", 0, RunSummary.of("r", results, 1), results,
                    null)));
            String json = Files.readString(dir.resolve("concurrency_1_round_1.json"));
            assertTrue(json.contains("\"server_cache_hit_tokens\" : " + results.get(1).serverCache().hitTokens()), json);
            assertTrue(json.contains("\"server_cache_queried_tokens\""), json);
        }
    }

    @Test
    void anUnreadableMetricsEndpointLeavesTheDeltaOutButKeepsTheResult() throws Exception {
        try (CacheScrape scrape = new CacheScrape(vertx, sim.baseUrl() + "/no-metrics-here", null, null)) {
            List<RequestResult> results = run(scrape.perRequest(), List.of(new Prompt("one two three", 4)));
            assertTrue(results.get(0).ok());
            assertNull(results.get(0).serverCache());
        }
    }

    @Test
    void aFailingStepAfterTheRequestLosesNothingMeasured() throws Exception {
        List<RequestResult> results = run(() -> Future.succeededFuture(r -> Future.failedFuture("scrape broke")),
                List.of(new Prompt("one two three", 4), new Prompt("four five six", 4)));
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(RequestResult::ok));
    }

    @Test
    void scrapesRunOnTheEventLoopWithoutBlockingIt() throws Exception {
        try (CacheScrape scrape = new CacheScrape(vertx, sim.baseUrl() + "/metrics", null, null)) {
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            AroundRequest recording = () -> {
                threads.add(Thread.currentThread().getName());
                return scrape.perRequest().before().map(after -> r -> {
                    threads.add(Thread.currentThread().getName());
                    return after.apply(r);
                });
            };
            run(recording, List.of(new Prompt("one two three", 4)));
            assertEquals(2, threads.size());
            assertTrue(threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop")), threads.toString());
        }
    }
}
