-- How late each request was sent against its open-loop arrival time, so latency from the
-- intended start (ttft_ms + schedule_lag_ms) is queryable. 0 in a closed loop, and for rows
-- written before the column existed.

ALTER TABLE {db}.requests ADD COLUMN IF NOT EXISTS schedule_lag_ms Float64 DEFAULT 0;
