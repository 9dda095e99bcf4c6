package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.producer.LoadRun;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing measured is lost when a part of the pipeline dies mid-run: the aggregator killed with
 * SIGKILL, the broker stopped and restarted, ClickHouse gone for 30 s. Each run is 40 requests
 * of 40 tokens at concurrency 4 (about 10 s); the fault strikes a few seconds in, while requests
 * are streaming, and the stored result must be exactly what the producer measured.
 */
class FaultToleranceTest {
    private static final int REQUESTS = 40, TOKENS = 40;
    private static final String[] SIM = {"--engine", "fixed", "--ttft-ms", "20", "--itl-ms", "25",
        "--output-tokens", String.valueOf(TOKENS)};
    private static final String[] WORKLOAD = {"--requests", String.valueOf(REQUESTS), "--concurrency", "4",
        "--max-tokens", String.valueOf(TOKENS)};
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool();

    @AfterAll
    static void shutdown() {
        BACKGROUND.shutdownNow();
    }

    private static Future<LoadRun.Report> runInBackground(Pipeline pipeline, String run) {
        return BACKGROUND.submit(() -> pipeline.run(run, WORKLOAD));
    }

    private static void assertStoredExactlyOnce(Pipeline pipeline, String run, LoadRun.Report report) throws Exception {
        Stored.assertExactlyOnce(pipeline, run, report, REQUESTS, TOKENS);
    }

    @Test
    void aggregatorKilledMidRunStoresExactlyWhatAnUninterruptedRunStores() throws Exception {
        try (Pipeline pipeline = new Pipeline(SIM)) {
            String calm = Services.unique("calm"), crashed = Services.unique("crashed");
            LoadRun.Report calmReport = pipeline.run(calm, WORKLOAD);
            Future<LoadRun.Report> running = runInBackground(pipeline, crashed);
            Thread.sleep(3_000);
            pipeline.crashAndRestartAggregator();
            LoadRun.Report crashedReport = running.get(5, TimeUnit.MINUTES);
            assertStoredExactlyOnce(pipeline, calm, calmReport);
            assertStoredExactlyOnce(pipeline, crashed, crashedReport);
            String db = pipeline.database;
            for (String column : List.of("requests", "successes", "output_tokens", "prompt_tokens")) {
                String sum = "SELECT sum(" + column + ") FROM " + db + ".window_aggregates FINAL WHERE run_id = '";
                assertEquals(Services.count(sum + calm + "'"), Services.count(sum + crashed + "'"), column);
            }
        }
    }

    @Test
    void brokerStoppedAndRestartedMidRunLosesNoEvent() throws Exception {
        try (PrivateService kafka = PrivateService.kafka();
             Pipeline pipeline = Pipeline.on(kafka.kafkaBootstrap(), Services.clickhouseUrl(), SIM)) {
            String run = Services.unique("broker-restart");
            Future<LoadRun.Report> running = runInBackground(pipeline, run);
            Thread.sleep(3_000);
            kafka.stop();
            Thread.sleep(5_000);
            kafka.start();
            assertStoredExactlyOnce(pipeline, run, running.get(5, TimeUnit.MINUTES));
        }
    }

    @Test
    void clickhouseGoneFor30sIsCaughtUpWithNothingLost() throws Exception {
        try (PrivateService clickhouse = PrivateService.clickhouse();
             Pipeline pipeline = Pipeline.on(Services.kafka(), clickhouse.httpUrl(), SIM)) {
            String run = Services.unique("clickhouse-outage");
            Future<LoadRun.Report> running = runInBackground(pipeline, run);
            Thread.sleep(2_000);
            clickhouse.stop();
            long stoppedAt = System.nanoTime();
            LoadRun.Report report = running.get(5, TimeUnit.MINUTES);
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - stoppedAt) / 1_000_000));
            clickhouse.start();
            Services.withClickHouse(clickhouse.httpUrl(), () -> assertStoredExactlyOnce(pipeline, run, report));
        }
    }
}
