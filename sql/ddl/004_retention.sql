-- Retention, from the aggregator's --raw-retention-days (token_events, default 90) and
-- --retention-days (requests and window_aggregates, default 730). The aggregator runs each
-- statement only when the table's TTL differs, so a restart with the same flags rewrites nothing,
-- while a changed flag applies to the rows already stored too (ClickHouse materializes a
-- modified TTL in the background).
-- Raw token events are by far the largest table (one row per chunk) and the least needed after
-- a run has been studied, hence the shorter default.

ALTER TABLE {db}.token_events MODIFY TTL toDateTime(wall_time) + toIntervalDay({raw_retention_days});

ALTER TABLE {db}.requests MODIFY TTL toDateTime(start_time) + toIntervalDay({retention_days});

ALTER TABLE {db}.window_aggregates MODIFY TTL toDateTime(window_start) + toIntervalDay({retention_days});
