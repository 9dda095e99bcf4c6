package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.report.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A concurrency sweep with two rounds against the vLLM-style engine: round 1 at each level is
 * cold (levels get distinct prompts), round 2 repeats it warm; files and ClickHouse agree.
 */
class SweepAndDualRoundTest {
    @Test
    void eachLevelRunsColdThenWarmAndEverythingIsRecorded() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "vllm")) {
            Path out = Files.createTempDirectory("tokenscope-results");
            String run = Services.unique("sweep");
            LoadRun.Report report = pipeline.run(run, "--workload", "many-short", "--n", "8", "--concurrency", "2", "4",
                    "--rounds", "2", "--output-dir", out.toString());
            List<ResultFiles.Config> configs = report.configs();
            assertEquals(List.of("2/1", "2/2", "4/1", "4/2"),
                    configs.stream().map(c -> c.concurrency() + "/" + c.round()).toList());
            for (ResultFiles.Config c : configs) {
                assertEquals(8, c.summary().successes());
                assertEquals(8, c.summary().outputTokens(), "many-short asks for one token each");
                // The server's own counters, scraped from /metrics around the round, agree.
                double serverHit = c.serverHitRate();
                if (c.round() == 1) {
                    assertTrue(c.summary().cachedTokens() < c.summary().promptTokens() / 4,
                            "round 1 is cold: " + c.summary().cachedTokens() + " of " + c.summary().promptTokens());
                    assertTrue(serverHit < 0.25, "server hit rate in round 1: " + serverHit);
                } else {
                    assertTrue(serverHit > 0.5, "server hit rate in round 2: " + serverHit);
                    assertTrue(c.summary().cachedTokens() > c.summary().promptTokens() / 2,
                            "round 2 is warm: " + c.summary().cachedTokens() + " of " + c.summary().promptTokens());
                }
            }
            List<String> csv = Files.readAllLines(out.resolve("metrics_summary.csv"));
            assertEquals(5, csv.size(), "header and one row per configuration");
            assertTrue(csv.get(0).startsWith("run_id,concurrency,round,requests,successes"));
            assertTrue(csv.get(3).startsWith(run + ",4,1,8,8,0,"), csv.get(3));
            String json = Files.readString(out.resolve("concurrency_4_round_2.json"));
            assertEquals(8, json.split("\"request_id\"").length - 1);

            String db = pipeline.database;
            assertEquals(32, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                    + run + "'", 32, 60_000));
            assertEquals("2\t1\n2\t2\n4\t1\n4\t2", Services.sql("SELECT DISTINCT concurrency, round FROM " + db
                    + ".requests FINAL WHERE run_id = '" + run + "' ORDER BY concurrency, round FORMAT TSV"));
        }
    }
}
