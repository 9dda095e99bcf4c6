package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;
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

    /** Every request and token of the run is stored once, and matches what the producer measured. */
    private static void assertStoredExactlyOnce(Pipeline pipeline, String run, LoadRun.Report report) throws Exception {
        assertEquals(0, report.eventsFailed(), () -> "events the producer could not deliver: " + report.lastEmitError());
        assertEquals(REQUESTS + REQUESTS * TOKENS + REQUESTS, report.eventsSent());
        assertEquals(REQUESTS, report.summary().successes(), () -> "errors: " + report.summary().errors());
        String db = pipeline.database, where = " WHERE run_id = '" + run + "'";
        assertEquals(REQUESTS, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL" + where,
                REQUESTS, 120_000), "requests counted in the windows");
        assertEquals(REQUESTS * TOKENS, Services.awaitCount("SELECT count() FROM " + db + ".token_events FINAL" + where,
                REQUESTS * TOKENS, 60_000));
        assertEquals(REQUESTS, Services.count("SELECT count() FROM " + db + ".requests FINAL" + where));
        assertEquals((long) REQUESTS * TOKENS, Services.count("SELECT sum(output_tokens) FROM " + db
                + ".window_aggregates FINAL" + where));
        // Without FINAL: a batch written twice would show here until a background merge.
        assertEquals(REQUESTS, Services.count("SELECT count() FROM " + db + ".requests" + where), "duplicate request rows");
        assertEquals(REQUESTS * TOKENS, Services.count("SELECT count() FROM " + db + ".token_events" + where),
                "duplicate token rows");
        for (RequestResult r : report.results()) {
            double stored = Double.parseDouble(Services.sql("SELECT ttft_ms FROM " + db + ".requests FINAL WHERE request_id = '"
                    + r.requestId() + "'"));
            assertEquals(r.ttftNs() / 1e6, stored, 0.001, r.requestId());
        }
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
