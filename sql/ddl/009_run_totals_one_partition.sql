-- Databases made before 006_run_totals.sql partitioned run_totals by tuple() had it partitioned
-- by toYYYYMM(window_start); a partition key cannot be altered, so the table is copied into
-- the new layout and swapped in. The aggregator runs this file only while run_totals is still
-- partitioned by window_start, before its sink starts writing. EXCHANGE keeps the name
-- resolvable for Grafana throughout.
--
-- Several aggregators may start at once: the first CREATE has no IF NOT EXISTS, so only one of
-- them copies, and the others wait until the swap is done (sink/ClickHouse.java). Older
-- aggregators still running keep inserting into run_totals by name; what they wrote between the
-- first copy and the swap is copied again after it (ReplacingMergeTree keeps the newest version of
-- each row). The old table is kept as run_totals_by_month; drop it once no older aggregator runs.
-- An aggregator that stopped between the swap and the rename leaves the old table under the
-- copy's name; the next one to start runs the statements after the swap.

CREATE TABLE {db}.run_totals_one_partition AS {db}.run_totals
ENGINE = ReplacingMergeTree(version)
PARTITION BY tuple()
ORDER BY (run_id, scenario, round, concurrency, endpoint, model)
TTL toDateTime(window_start) + toIntervalDay({retention_days})
SETTINGS non_replicated_deduplication_window = 1000;

INSERT INTO {db}.run_totals_one_partition SELECT * FROM {db}.run_totals;

EXCHANGE TABLES {db}.run_totals AND {db}.run_totals_one_partition;

INSERT INTO {db}.run_totals SELECT * FROM {db}.run_totals_one_partition;

RENAME TABLE {db}.run_totals_one_partition TO {db}.run_totals_by_month;

-- The table is small (a row per configuration); merging it now collapses the twice-copied rows.
OPTIMIZE TABLE {db}.run_totals FINAL;
