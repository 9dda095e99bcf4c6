-- Databases made before 006_run_totals.sql partitioned run_totals by tuple() had it partitioned
-- by toYYYYMM(window_start); a partition key cannot be altered, so the table is copied into
-- the new layout and swapped in. The aggregator runs this file only while run_totals is still
-- partitioned by window_start, before its sink starts writing; EXCHANGE keeps the name
-- resolvable for Grafana throughout. FINAL copies one row per configuration, as queries saw it.

DROP TABLE IF EXISTS {db}.run_totals_one_partition;

CREATE TABLE {db}.run_totals_one_partition AS {db}.run_totals
ENGINE = ReplacingMergeTree(version)
PARTITION BY tuple()
ORDER BY (run_id, scenario, round, concurrency, endpoint, model)
TTL toDateTime(window_start) + toIntervalDay({retention_days})
SETTINGS non_replicated_deduplication_window = 1000;

INSERT INTO {db}.run_totals_one_partition SELECT * FROM {db}.run_totals FINAL;

EXCHANGE TABLES {db}.run_totals AND {db}.run_totals_one_partition;

DROP TABLE {db}.run_totals_one_partition;
