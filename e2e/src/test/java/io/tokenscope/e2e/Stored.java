package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;

/** What ClickHouse must hold after a run whatever happened during it: exactly what was measured. */
final class Stored {
    private Stored() {}

    /** Every request and token of the run is stored once, and matches what the producer measured. */
    static void assertExactlyOnce(Pipeline pipeline, String run, LoadRun.Report report, int requests, int tokens)
            throws Exception {
        assertEquals(0, report.eventsFailed(), () -> "events the producer could not deliver: " + report.lastEmitError());
        // Per request a start, its chunks and a finish; per round the server's counters before and
        // after, and every scrape interval in between: each of those stored too.
        long samples = report.eventsSent() - (requests + (long) requests * tokens + requests);
        assertTrue(samples >= 2L * report.configs().size(), "events sent: " + report.eventsSent());
        assertEquals(samples, Services.awaitCount("SELECT count() FROM " + pipeline.database + ".server_metrics FINAL"
                + " WHERE run_id = '" + run + "'", samples, 60_000), "server samples stored");
        assertEquals(requests, report.summary().successes(), () -> "errors: " + report.summary().errors());
        String db = pipeline.database, where = " WHERE run_id = '" + run + "'";
        assertEquals(requests, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL" + where,
                requests, 120_000), "requests counted in the windows");
        assertEquals(requests * tokens, Services.awaitCount("SELECT count() FROM " + db + ".token_events FINAL" + where,
                requests * tokens, 60_000));
        assertEquals(requests, Services.count("SELECT count() FROM " + db + ".requests FINAL" + where));
        assertEquals((long) requests * tokens, Services.count("SELECT sum(output_tokens) FROM " + db
                + ".window_aggregates FINAL" + where));
        // A batch stored but not yet committed when a part died is read and stored again; the
        // tables' keys make the repeat collapse on merge (and FINAL hides it until then). After
        // a merge no duplicate row may be left.
        for (String table : new String[] {"requests", "token_events"}) {
            Services.sql("OPTIMIZE TABLE " + db + "." + table + " FINAL");
        }
        assertEquals(requests, Services.count("SELECT count() FROM " + db + ".requests" + where),
                "request rows after a merge");
        assertEquals(requests * tokens, Services.count("SELECT count() FROM " + db + ".token_events" + where),
                "token rows after a merge");
        for (RequestResult r : report.results()) {
            double stored = Double.parseDouble(Services.sql("SELECT ttft_ms FROM " + db + ".requests FINAL WHERE request_id = '"
                    + r.requestId() + "'"));
            assertEquals(r.ttftNs() / 1e6, stored, 0.001, r.requestId());
        }
    }
}
