-- ITL distribution of one run: every gap between consecutive text chunks of a successful
-- request, in buckets of bucket_ms, with each bucket's share of all gaps and the cumulative
-- share (the CDF). Failed requests are left out, as the windows' ITL percentiles leave them: a
-- stalled or dripping stream's gaps would swamp the tail.
-- A gap that carried several tokens (stream-interval > 1) counts once here; divide by
-- tokens_in_chunk for per-token ITL.
-- Parameters: db Identifier, run String, bucket_ms Float64 (e.g. 1).
WITH gaps AS
(
    SELECT
        chunk_index,
        (arrival_ns - lagInFrame(arrival_ns) OVER (PARTITION BY request_id ORDER BY chunk_index
            ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) / 1e6 AS gap_ms
    FROM {db:Identifier}.token_events FINAL
    WHERE run_id = {run:String} AND request_id IN
        (SELECT request_id FROM {db:Identifier}.requests FINAL WHERE run_id = {run:String} AND status = 'ok')
)
SELECT
    floor(gap_ms / {bucket_ms:Float64}) * {bucket_ms:Float64} AS bucket_ms,
    count() AS gaps,
    gaps / sum(gaps) OVER () AS share,
    sum(gaps) OVER (ORDER BY bucket_ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) / sum(gaps) OVER () AS cumulative_share
FROM gaps
WHERE chunk_index > 0
GROUP BY bucket_ms
ORDER BY bucket_ms
