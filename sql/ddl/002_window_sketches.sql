-- Quantile sketches stored with each window, so any range of windows merges into percentiles of
-- known error without re-reading token_events. Each is base64 of Apache DataSketches' serial
-- form of a KLL sketch (floats, k=200, microseconds): rank error 1.33 % at 99 % confidence,
-- exact below 200 values. ClickHouse cannot merge KLL itself: read base64Decode(itl_sketch) and
-- merge with DataSketches (Java, C++ or Python), as io.tokenscope.aggregator.Sketches.merge
-- does. Columns are added, not created, so databases made by earlier builds gain them too.

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS ttft_sketch String DEFAULT '';

ALTER TABLE {db}.window_aggregates ADD COLUMN IF NOT EXISTS itl_sketch String DEFAULT '';
