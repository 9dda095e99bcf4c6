-- Whole-run totals per configuration (run, scenario, round, concurrency, endpoint, model): the
-- aggregator's windowless counterpart of window_aggregates, one row per configuration (newest
-- version kept), whose window_start/window_end span the run's first start to its last end.
-- One partition: window_start moves earlier when an earlier start arrives late, and a
-- ReplacingMergeTree replaces rows only within a partition, so a month partition could keep two
-- versions of a run that began near a month's end. The table holds a row per configuration, so
-- it stays small; the TTL removes old rows during merges.

CREATE TABLE IF NOT EXISTS {db}.run_totals AS {db}.window_aggregates
ENGINE = ReplacingMergeTree(version)
PARTITION BY tuple()
ORDER BY (run_id, scenario, round, concurrency, endpoint, model)
SETTINGS non_replicated_deduplication_window = 1000;

ALTER TABLE {db}.run_totals MODIFY TTL toDateTime(window_start) + toIntervalDay({retention_days});
