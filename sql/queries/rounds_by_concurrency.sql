-- Round 1 (cold) against round 2 (warm) at each concurrency of a dual-round run: TTFT median
-- and p99, output tokens/s over each round's span, prefix-cache hit rate from usage, and the
-- TTFT speed-up the cache bought.
-- Parameters: db Identifier, run String.
SELECT
    concurrency,
    countIf(round = 1) AS requests_round1,
    countIf(round = 2) AS requests_round2,
    quantileExactIf(0.5)(ttft_ms, round = 1) AS ttft_p50_round1_ms,
    quantileExactIf(0.5)(ttft_ms, round = 2) AS ttft_p50_round2_ms,
    quantileExactIf(0.99)(ttft_ms, round = 1) AS ttft_p99_round1_ms,
    quantileExactIf(0.99)(ttft_ms, round = 2) AS ttft_p99_round2_ms,
    ttft_p50_round1_ms / ttft_p50_round2_ms AS ttft_p50_speedup,
    sumIf(output_tokens, round = 1)
        / (dateDiff('microsecond', minIf(start_time, round = 1), maxIf(end_time, round = 1)) / 1e6) AS output_tokens_per_s_round1,
    sumIf(output_tokens, round = 2)
        / (dateDiff('microsecond', minIf(start_time, round = 2), maxIf(end_time, round = 2)) / 1e6) AS output_tokens_per_s_round2,
    sumIf(cached_tokens, round = 1) / sumIf(prompt_tokens, round = 1) AS hit_rate_round1,
    sumIf(cached_tokens, round = 2) / sumIf(prompt_tokens, round = 2) AS hit_rate_round2
FROM {db:Identifier}.requests FINAL
WHERE run_id = {run:String} AND status = 'ok'
GROUP BY concurrency
ORDER BY concurrency
