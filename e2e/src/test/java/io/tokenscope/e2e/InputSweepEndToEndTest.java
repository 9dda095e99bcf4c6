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
            assertEquals(18, configs.size(), "cold, pre-warm and warm, three times, for each of two lengths");
            Map<Integer, List<Double>> cold = new TreeMap<>(), warm = new TreeMap<>();
            for (ResultFiles.Config c : configs) {
                assertEquals(1, c.results().size());
                RequestResult r = c.results().get(0);
                assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
                int context = c.inputLength();
                assertTrue(r.promptTokens() > context && r.promptTokens() < context + 40,
                        "prompt " + r.promptTokens() + " for a context of " + context);
                if (c.round() % 3 == 0) {
                    // The chat template's and the context's full 16-token blocks, never the question's.
                    assertTrue(r.cachedTokens() >= context - 16 && r.cachedTokens() <= context + 16,
                            "warm " + context + ": cached " + r.cachedTokens());
                    assertEquals(r.cachedTokens(), r.serverCache().hitTokens(), 0.0, "usage and /metrics agree");
                } else {
                    assertEquals(0, r.cachedTokens(), c.scenario() + " starts from a reset cache");
                    assertEquals(0, r.serverCache().hitTokens(), 0.0);
                }
                if (c.round() % 3 != 2) {
                    (c.round() % 3 == 1 ? cold : warm).computeIfAbsent(context, l -> new java.util.ArrayList<>())
                            .add(r.ttftNs() / 1e6);
                }
            }
            double speedUp256 = median(cold.get(256)) / median(warm.get(256));
            double speedUp4096 = median(cold.get(4096)) / median(warm.get(4096));
            assertTrue(speedUp4096 > 2, "a warm 4096-token context: cold " + cold.get(4096) + " ms, warm "
                    + warm.get(4096) + " ms");
            assertTrue(speedUp4096 > speedUp256, "speed-up grows with length: " + speedUp256 + " vs " + speedUp4096);
            assertTrue(Files.readString(out.resolve("input_4096_round_9.json")).contains("\"server_cache_hit_tokens\""));
            try (java.io.BufferedReader in = Files.newBufferedReader(out.resolve("metrics_summary.csv"))) {
                io.tokenscope.cli.Csv.Records records = new io.tokenscope.cli.Csv.Records(in);
                List<String> header = records.next();
                List<String> lastRow = null;
                for (List<String> row; (row = records.next()) != null; ) lastRow = row;
                assertEquals(19, records.recordStartLine(), "a header and 18 rows");
                assertEquals("input-sweep-L4096-warm", lastRow.get(header.indexOf("scenario")), lastRow.toString());
                assertEquals("4096", lastRow.get(header.indexOf("input_length")), lastRow.toString());
            }

            String db = pipeline.database;
            assertEquals(18, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL WHERE run_id = '" + run
                    + "'", 18, 60_000));
            assertEquals("input-sweep-L256-cold\t3\ninput-sweep-L256-prewarm\t3\ninput-sweep-L256-warm\t3\n"
                    + "input-sweep-L4096-cold\t3\ninput-sweep-L4096-prewarm\t3\ninput-sweep-L4096-warm\t3",
                    Services.sql("SELECT scenario, count() FROM " + db + ".requests FINAL WHERE run_id = '" + run
                            + "' GROUP BY scenario ORDER BY scenario FORMAT TSV"));
            long warmCached = configs.stream().filter(c -> c.scenario().equals("input-sweep-L4096-warm"))
                    .mapToLong(c -> c.summary().cachedTokens()).sum();
            assertEquals(warmCached, Services.count("SELECT sum(cached_tokens) FROM " + db + ".requests FINAL WHERE run_id = '"
                    + run + "' AND scenario = 'input-sweep-L4096-warm'"));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
