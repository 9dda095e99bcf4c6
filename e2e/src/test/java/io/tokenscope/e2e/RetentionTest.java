package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.sink.ClickHouse;
import org.junit.jupiter.api.Test;

/** The TTLs the aggregator sets from its retention flags, on the real ClickHouse. */
class RetentionTest {
    private static String ttlOf(String db, String table) {
        String engine = Services.sql("SELECT engine_full FROM system.tables WHERE database = '" + db + "' AND name = '"
                + table + "'");
        int at = engine.indexOf(" TTL ");
        return at < 0 ? "" : engine.substring(at + 5, engine.indexOf(" SETTINGS", at));
    }

    @Test
    void aChangedRetentionFlagChangesTheTablesAndExpiresStoredRows() throws Exception {
        String db = Services.unique("retention");
        ClickHouse clickhouse = new ClickHouse(Services.clickhouseUrl(), db, "default", "");
        clickhouse.applyDdl(30, 730);
        assertEquals("toDateTime(wall_time) + toIntervalDay(30)", ttlOf(db, "token_events"));
        assertEquals("toDateTime(start_time) + toIntervalDay(730)", ttlOf(db, "requests"));
        assertEquals("toDateTime(window_start) + toIntervalDay(730)", ttlOf(db, "window_aggregates"));
        for (int daysAgo : new int[] {10, 1}) {
            Services.sql("INSERT INTO " + db + ".token_events (run_id, request_id, scenario, round, concurrency, endpoint, "
                    + "model, chunk_index, tokens_in_chunk, arrival_ns, wall_time, text) VALUES ('r', 'q" + daysAgo
                    + "', 's', 1, 1, 'e', 'm', 0, 1, 1, now64(6) - toIntervalDay(" + daysAgo + "), 't')");
        }
        assertEquals(2, Services.count("SELECT count() FROM " + db + ".token_events"), "both within 30 days");

        // The same flags again change nothing: no mutation is started.
        long mutations = Services.count("SELECT count() FROM system.mutations WHERE database = '" + db + "'");
        clickhouse.applyDdl(30, 730);
        assertEquals(mutations, Services.count("SELECT count() FROM system.mutations WHERE database = '" + db + "'"));

        // A shorter retention applies to the rows already stored.
        clickhouse.applyDdl(7, 365);
        assertEquals("toDateTime(wall_time) + toIntervalDay(7)", ttlOf(db, "token_events"));
        assertEquals("toDateTime(start_time) + toIntervalDay(365)", ttlOf(db, "requests"));
        Services.awaitCount("SELECT count() FROM " + db + ".token_events", 1, 30_000);
        assertEquals("q1", Services.sql("SELECT request_id FROM " + db + ".token_events"), "the 10-day-old row expired");
        assertTrue(Services.sql("SHOW TABLES FROM " + db).contains("window_aggregates"));
        Services.sql("DROP DATABASE " + db);
    }
}
