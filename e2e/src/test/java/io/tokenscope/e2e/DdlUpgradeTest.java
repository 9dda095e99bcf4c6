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

    @Test
    void runTotalsLeavesItsMonthPartitionsKeepingTheNewestRowOfEachConfiguration() {
        String db = Services.unique("upgrade");
        ClickHouse clickHouse = withMonthPartitionedRunTotals(db);
        // A run that began just after midnight on 1 December, until a start from 30 November arrived late.
        insertTotal(db, "2026-12-01 00:00:01", 1, 10);
        insertTotal(db, "2026-11-30 23:59:59", 2, 11);
        insertTotal(db, "2026-11-30 12:00:00", 1, 5); // another run
        Services.sql("OPTIMIZE TABLE " + db + ".run_totals FINAL");
        assertEquals("3", Services.sql("SELECT count() FROM " + db + ".run_totals"), "the old layout keeps both versions");

        clickHouse.applyDdl(30, 730);

        assertEquals("tuple()", Services.sql("SELECT partition_key FROM system.tables WHERE database = '" + db
                + "' AND name = 'run_totals'"));
        assertEquals("a\t11\nb\t5", Services.sql("SELECT run_id, requests FROM " + db + ".run_totals ORDER BY run_id"));
        assertEquals("3", Services.sql("SELECT count() FROM " + db + ".run_totals_by_month"), "the old table is kept");
        String uuid = Services.sql("SELECT uuid FROM system.tables WHERE database = '" + db + "' AND name = 'run_totals'");
        assertEquals("1", Services.sql("SELECT count() FROM system.tables WHERE database = '" + db
                + "' AND name = 'run_totals' AND engine_full LIKE '%TTL toDateTime(window_start) + toIntervalDay(730)%'"));

        clickHouse.applyDdl(30, 730);
        assertEquals(uuid, Services.sql("SELECT uuid FROM system.tables WHERE database = '" + db + "' AND name = 'run_totals'"),
                "a second start-up must not copy the table again");
        insertTotal(db, "2026-10-31 23:00:00", 3, 12);
        Services.sql("OPTIMIZE TABLE " + db + ".run_totals FINAL");
        assertEquals("a\t12\nb\t5", Services.sql("SELECT run_id, requests FROM " + db + ".run_totals ORDER BY run_id"));
        Services.sql("DROP DATABASE " + db);
    }

    @Test
    void anAggregatorStartingDuringAnotherOnesRebuildWaitsForItAndCopiesNothing() throws Exception {
        String db = Services.unique("upgrade");
        ClickHouse clickHouse = withMonthPartitionedRunTotals(db);
        insertTotal(db, "2026-11-30 23:59:59", 2, 11);
        // Another aggregator has begun: its copy exists, and nothing is swapped yet.
        startedRebuild(db);

        java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(
                () -> clickHouse.applyDdl(30, 730));
        Thread.sleep(1_500);
        assertEquals(false, second.isDone(), "it waits while the other rebuild runs");
        Services.sql("EXCHANGE TABLES " + db + ".run_totals AND " + db + ".run_totals_one_partition");
        Services.sql("RENAME TABLE " + db + ".run_totals_one_partition TO " + db + ".run_totals_by_month");
        second.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals("tuple()", Services.sql("SELECT partition_key FROM system.tables WHERE database = '" + db
                + "' AND name = 'run_totals'"));
        assertEquals("a\t11", Services.sql("SELECT run_id, requests FROM " + db + ".run_totals FINAL"));
        assertEquals("0", Services.sql("SELECT count() FROM system.tables WHERE database = '" + db
                + "' AND name = 'run_totals_one_partition'"));
        Services.sql("DROP DATABASE " + db);
    }

    @Test
    void aRebuildThatStoppedAfterItsSwapIsFinishedAtTheNextStart() {
        String db = Services.unique("upgrade");
        ClickHouse clickHouse = withMonthPartitionedRunTotals(db);
        insertTotal(db, "2026-11-30 23:59:59", 2, 11);
        startedRebuild(db);
        insertTotal(db, "2026-11-30 12:00:00", 1, 5); // an older aggregator's row, after the copy
        Services.sql("EXCHANGE TABLES " + db + ".run_totals AND " + db + ".run_totals_one_partition");
        // ... and the aggregator stopped here.

        clickHouse.applyDdl(30, 730);

        assertEquals("a\t11\nb\t5", Services.sql("SELECT run_id, requests FROM " + db + ".run_totals FINAL ORDER BY run_id"));
        assertEquals("2", Services.sql("SELECT count() FROM " + db + ".run_totals_by_month"));
        assertEquals("0", Services.sql("SELECT count() FROM system.tables WHERE database = '" + db
                + "' AND name = 'run_totals_one_partition'"));
        Services.sql("DROP DATABASE " + db);
    }

    /** A database of today's layout but for run_totals, which is as builds before 009_run_totals_one_partition.sql made it. */
    private static ClickHouse withMonthPartitionedRunTotals(String db) {
        ClickHouse clickHouse = new ClickHouse(Services.clickhouseUrl(), db, "default", "");
        clickHouse.applyDdl(30, 730);
        Services.sql("DROP TABLE " + db + ".run_totals");
        Services.sql("CREATE TABLE " + db + ".run_totals AS " + db + ".window_aggregates ENGINE = ReplacingMergeTree(version) "
                + "PARTITION BY toYYYYMM(window_start) ORDER BY (run_id, scenario, round, concurrency, endpoint, model)");
        return clickHouse;
    }

    /** What another aggregator's rebuild has done by the time it has copied, before its swap. */
    private static void startedRebuild(String db) {
        Services.sql("CREATE TABLE " + db + ".run_totals_one_partition AS " + db + ".run_totals ENGINE = "
                + "ReplacingMergeTree(version) PARTITION BY tuple() ORDER BY (run_id, scenario, round, concurrency, endpoint, model)");
        Services.sql("INSERT INTO " + db + ".run_totals_one_partition SELECT * FROM " + db + ".run_totals");
    }

    private static void insertTotal(String db, String windowStart, int version, int requests) {
        String run = requests == 5 ? "b" : "a";
        Services.sql("INSERT INTO " + db + ".run_totals (run_id, scenario, round, concurrency, endpoint, model, window_start, "
                + "window_end, version, requests) VALUES ('" + run + "', 's', 1, 8, 'e', 'm', '" + windowStart
                + "', '2026-12-01 00:10:00', " + version + ", " + requests + ")");
    }
}
