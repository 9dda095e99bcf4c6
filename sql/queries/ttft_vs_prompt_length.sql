-- TTFT against prompt length for one run: successful requests grouped by prompt tokens in
-- buckets of bucket_tokens, with exact TTFT percentiles (interpolated, as the producer's report)
-- and how much of the prompt the prefix cache served (NULL where no request of the bucket
-- reported cached tokens). Prefill time grows with the uncached part of the prompt, so read the two together.
-- Parameters: db Identifier, run String, bucket_tokens UInt32 (e.g. 256).
SELECT
    intDiv(prompt_tokens, {bucket_tokens:UInt32}) * {bucket_tokens:UInt32} AS prompt_tokens_from,
    count() AS requests,
    quantileExactInclusive(0.5)(ttft_ms) AS ttft_p50_ms,
    quantileExactInclusive(0.9)(ttft_ms) AS ttft_p90_ms,
    max(ttft_ms) AS ttft_max_ms,
    if(countIf(cached_tokens IS NOT NULL) = 0, NULL, sum(cached_tokens) / nullIf(sum(prompt_tokens), 0)) AS cached_share
FROM {db:Identifier}.requests FINAL
WHERE run_id = {run:String} AND status = 'ok' AND prompt_tokens IS NOT NULL AND ttft_ms IS NOT NULL
GROUP BY prompt_tokens_from
ORDER BY prompt_tokens_from
