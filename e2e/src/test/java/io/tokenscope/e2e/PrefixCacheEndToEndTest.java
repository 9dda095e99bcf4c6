package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;
import org.junit.jupiter.api.Test;

/**
 * The vLLM-style engine's prefix cache, seen end to end: the same prompts sent twice are
 * served from cache the second time, the producer reads it from usage, and ClickHouse holds it
 * per request and as the window's hit rate.
 */
class PrefixCacheEndToEndTest {
    @Test
    void repeatedPromptsHitThePrefixCacheAndTheHitRateIsStored() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "vllm")) {
            String cold = Services.unique("cold");
            String warm = Services.unique("warm");
            String[] workload = {"--requests", "12", "--concurrency", "4", "--max-tokens", "8", "--seed", "99"};
            LoadRun.Report first = pipeline.run(cold, workload);
            LoadRun.Report second = pipeline.run(warm, workload);
            assertEquals(12, first.summary().successes());
            assertEquals(12, second.summary().successes());
            assertEquals(0, first.summary().cachedTokens(), "nothing is cached before the first run");
            for (RequestResult r : second.results()) {
                int fullBlocks = (r.promptTokens() - 1) / 16 * 16;
                assertEquals(fullBlocks, r.cachedTokens(), r.requestId() + ": every full block of the prompt hits");
            }

            String db = pipeline.database;
            assertEquals(12, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                    + warm + "'", 12, 60_000));
            assertEquals(second.summary().cachedTokens(), Services.count("SELECT sum(cached_tokens) FROM " + db
                    + ".requests FINAL WHERE run_id = '" + warm + "'"));
            double hitRate = Double.parseDouble(Services.sql("SELECT sum(cached_tokens) / sum(prompt_tokens) FROM " + db
                    + ".window_aggregates FINAL WHERE run_id = '" + warm + "'"));
            assertTrue(hitRate > 0.8, "window hit rate " + hitRate);
            assertEquals(12, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                    + cold + "'", 12, 60_000));
            assertEquals(0, Services.count("SELECT sum(cached_tokens) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                    + cold + "'"));
        }
    }
}
