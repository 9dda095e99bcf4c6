-- Per window (and per run total): requests closed as incomplete after the aggregator's idle
-- timeout, and the server's own prefix-cache view, the growth of its /metrics counters over the
-- samples the producer took in the window (at a round's start and end and every
-- --scrape-interval-s). Growth is counted in the window of the later sample, so a round's
-- windows add up to its end sample minus its start sample. NULL where no sample fell in the
-- window. Columns are added, so databases made by earlier builds gain them too.

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS incomplete_requests UInt64 DEFAULT 0;

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS server_queried_tokens Nullable(Float64);

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS server_hit_tokens Nullable(Float64);

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS server_cache_hit_rate Nullable(Float64);

ALTER TABLE {db}.run_totals ADD COLUMN IF NOT EXISTS incomplete_requests UInt64 DEFAULT 0;

ALTER TABLE {db}.run_totals ADD COLUMN IF NOT EXISTS server_queried_tokens Nullable(Float64);

ALTER TABLE {db}.run_totals ADD COLUMN IF NOT EXISTS server_hit_tokens Nullable(Float64);

ALTER TABLE {db}.run_totals ADD COLUMN IF NOT EXISTS server_cache_hit_rate Nullable(Float64);
