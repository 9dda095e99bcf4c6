package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.report.InputSweepTable;
import io.tokenscope.producer.report.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The input-length sweep against the vLLM-style engine: per length, the cold request finds
 * nothing cached, the warm one finds the shared context, its TTFT drops the more the longer
 * the context, and every request is in ClickHouse under a scenario that says cold or warm.
 */
class InputSweepEndToEndTest {
    @Test
    void warmContextCutsTtftMoreAsTheContextGrows() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "vllm")) {
            String run = Services.unique("sweep");
            Path out = Files.createTempDirectory("tokenscope-sweep");
            LoadRun.Report report = pipeline.run(run, "--input-lengths", "256", "4096", "--max-tokens", "4", "--warmup-requests", "20",
                    "--scrape-per-request", "true", "--output-dir", out.toString());
            InputSweepTable.print(System.out, report.configs());
            List<ResultFiles.Config> configs = report.configs();
            assertEquals(6, configs.size(), "cold, pre-warm and warm for each of two lengths");
            Map<Integer, double[]> ttft = new TreeMap<>();
            for (ResultFiles.Config c : configs) {
                assertEquals(1, c.results().size());
                RequestResult r = c.results().get(0);
                assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
                int context = c.inputLength();
                assertTrue(r.promptTokens() > context && r.promptTokens() < context + 40,
                        "prompt " + r.promptTokens() + " for a context of " + context);
                if (c.round() == 3) {
                    // The chat template's and the context's full 16-token blocks, never the question's.
                    assertTrue(r.cachedTokens() >= context - 16 && r.cachedTokens() <= context + 16,
                            "warm " + context + ": cached " + r.cachedTokens());
                    assertEquals(r.cachedTokens(), r.serverCache().hitTokens(), 0.0, "usage and /metrics agree");
                } else {
                    assertEquals(0, r.cachedTokens(), c.scenario() + " starts from a reset cache");
                    assertEquals(0, r.serverCache().hitTokens(), 0.0);
                }
                if (c.round() != 2) {
                    ttft.computeIfAbsent(context, l -> new double[2])[c.round() == 1 ? 0 : 1] = r.ttftNs() / 1e6;
                }
            }
            double speedUp256 = ttft.get(256)[0] / ttft.get(256)[1], speedUp4096 = ttft.get(4096)[0] / ttft.get(4096)[1];
            assertTrue(speedUp4096 > 2, "a warm 4096-token context: cold " + ttft.get(4096)[0] + " ms, warm "
                    + ttft.get(4096)[1] + " ms");
            assertTrue(speedUp4096 > speedUp256, "speed-up grows with length: " + speedUp256 + " vs " + speedUp4096);
            assertTrue(Files.readString(out.resolve("input_4096_round_3.json")).contains("\"server_cache_hit_tokens\""));
            String lastRow = Files.readAllLines(out.resolve("metrics_summary.csv")).get(6);
            assertTrue(lastRow.endsWith(",input-sweep-L4096-warm,4096"), lastRow);

            String db = pipeline.database;
            assertEquals(6, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL WHERE run_id = '" + run + "'",
                    6, 60_000));
            assertEquals("input-sweep-L256-cold\ninput-sweep-L256-prewarm\ninput-sweep-L256-warm\ninput-sweep-L4096-cold\n"
                    + "input-sweep-L4096-prewarm\ninput-sweep-L4096-warm", Services.sql("SELECT scenario FROM " + db
                    + ".requests FINAL WHERE run_id = '" + run + "' ORDER BY scenario FORMAT TSV"));
            assertEquals(report.configs().get(5).summary().cachedTokens(), Services.count("SELECT sum(cached_tokens) FROM "
                    + db + ".requests FINAL WHERE run_id = '" + run + "' AND scenario = 'input-sweep-L4096-warm'"));
        }
    }
}
