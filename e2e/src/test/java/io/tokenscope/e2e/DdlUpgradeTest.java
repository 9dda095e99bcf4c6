package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.aggregator.sink.ClickHouse;
import org.junit.jupiter.api.Test;

/** A database made by an earlier build, brought up to date by the aggregator's start-up DDL. */
class DdlUpgradeTest {
    @Test
    void tokensInChunkIsWidenedKeepingTheRowsStored() {
        String db = Services.unique("upgrade");
        Services.sql("CREATE DATABASE " + db);
        // token_events as builds before 008_wider_token_counts.sql made it.
        Services.sql("CREATE TABLE " + db + ".token_events (run_id LowCardinality(String), request_id String, "
                + "scenario LowCardinality(String), round UInt16, concurrency UInt32, endpoint LowCardinality(String), "
                + "model LowCardinality(String), chunk_index UInt32, tokens_in_chunk UInt16, arrival_ns Int64, "
                + "wall_time DateTime64(6, 'UTC'), text String) ENGINE = ReplacingMergeTree "
                + "PARTITION BY toYYYYMM(wall_time) ORDER BY (run_id, request_id, chunk_index)");
        Services.sql("INSERT INTO " + db + ".token_events VALUES ('r', 'q', 's', 1, 1, 'e', 'm', 0, 65535, 1, now64(6), 't')");

        new ClickHouse(Services.clickhouseUrl(), db, "default", "").applyDdl(30, 730);

        assertEquals("UInt32", Services.sql("SELECT type FROM system.columns WHERE database = '" + db
                + "' AND table = 'token_events' AND name = 'tokens_in_chunk'"));
        Services.sql("INSERT INTO " + db + ".token_events VALUES ('r', 'q', 's', 1, 1, 'e', 'm', 1, 70000, 2, now64(6), 't')");
        assertEquals("65535\n70000", Services.sql("SELECT tokens_in_chunk FROM " + db + ".token_events ORDER BY chunk_index"));
        Services.sql("DROP DATABASE " + db);
    }
}
