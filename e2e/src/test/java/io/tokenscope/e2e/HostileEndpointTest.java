package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.report.RunSummary;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that misbehaves in every way the simulator can: 429/500/503 before the stream,
 * resets, malformed chunks, error events and stalls longer than the client's timeout inside it,
 * streams without [DONE], very large chunks, streams that drip a token every 100 ms past the
 * request deadline or ignore max_tokens, all in the "stress" framing (CRLF, no space after
 * "data:", comments, several events per write). Every request must end up counted under its
 * class, in the producer's summary and in ClickHouse alike, and the producer must not fail.
 */
class HostileEndpointTest {
    private static final int REQUESTS = 400;

    @Test
    void everyRequestIsAccountedByErrorClass() throws Exception {
        String[] sim = {"--engine", "fixed", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "24",
            "--wire", "stress", "--seed", "7",
            "--fault-rate", "http_429=0.04", "--fault-rate", "http_500=0.04", "--fault-rate", "http_503=0.04",
            "--fault-rate", "reset@3=0.04", "--fault-rate", "malformed@2=0.04", "--fault-rate", "error_event@4=0.04",
            "--fault-rate", "stall@5:2500=0.04", "--fault-rate", "no_done=0.04", "--fault-rate", "large_chunk=0.04",
            "--fault-rate", "drip@3:100=0.04", "--fault-rate", "drip@2:1=0.04"};
        try (Pipeline pipeline = new Pipeline(sim)) {
            String run = Services.unique("hostile");
            LoadRun.Report report = pipeline.run(run, "--requests", String.valueOf(REQUESTS), "--concurrency", "16",
                    "--max-tokens", "24", "--timeout-s", "1", "--request-timeout-s", "2");
            RunSummary s = report.summary();
            assertEquals(REQUESTS, s.requests());
            int errors = s.errors().values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(REQUESTS, s.successes() + errors, "every request is a success or an error of some class");
            Set<String> expected = Set.of("http_429", "http_500", "http_503", "stream_reset", "malformed_chunk",
                    "stream_error", "timeout", "deadline", "runaway_stream");
            assertEquals(expected, s.errors().keySet(), "error classes: " + s.errors());
            assertTrue(s.successes() > REQUESTS / 2, "streams without [DONE] and large chunks still succeed: " + s.successes());
            assertEquals(0, report.eventsFailed(), report.lastEmitError());

            String db = pipeline.database, where = " WHERE run_id = '" + run + "'";
            assertEquals(REQUESTS, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL" + where, REQUESTS,
                    60_000));
            Map<String, Integer> stored = new TreeMap<>();
            for (String line : Services.sql("SELECT ifNull(error_class, 'ok'), count() FROM " + db + ".requests FINAL" + where
                    + " GROUP BY 1 FORMAT TSV").lines().toList()) {
                String[] f = line.split("\t");
                stored.put(f[0], Integer.parseInt(f[1]));
            }
            Map<String, Integer> measured = new HashMap<>(s.errors());
            measured.put("ok", s.successes());
            assertEquals(new TreeMap<>(measured), stored, "ClickHouse holds the producer's error counts");
            assertEquals(REQUESTS, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL" + where,
                    REQUESTS, 60_000));
        }
    }
}
