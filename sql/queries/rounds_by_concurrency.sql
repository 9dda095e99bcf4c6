-- Round 1 (cold) against round 2 (warm) at each scenario and concurrency of a dual-round run:
-- requests sent, TTFT median and p99 of the successes (interpolated, as the producer's report),
-- output tokens/s of the successes over each round's whole span (first start to last end, failed
-- requests included, as the run totals count it), prefix-cache hit rate from usage (a success
-- without cached tokens counts as 0 cached, since vLLM leaves the field out when nothing was
-- cached; NULL when no success of the round reported any), and the TTFT speed-up the cache bought.
-- Parameters: db Identifier, run String.
SELECT
    scenario,
    concurrency,
    countIf(round = 1) AS requests_round1,
    countIf(round = 2) AS requests_round2,
    countIf(round = 1 AND status = 'ok') AS successes_round1,
    countIf(round = 2 AND status = 'ok') AS successes_round2,
    quantileExactInclusiveIf(0.5)(ttft_ms, round = 1 AND status = 'ok') AS ttft_p50_round1_ms,
    quantileExactInclusiveIf(0.5)(ttft_ms, round = 2 AND status = 'ok') AS ttft_p50_round2_ms,
    quantileExactInclusiveIf(0.99)(ttft_ms, round = 1 AND status = 'ok') AS ttft_p99_round1_ms,
    quantileExactInclusiveIf(0.99)(ttft_ms, round = 2 AND status = 'ok') AS ttft_p99_round2_ms,
    ttft_p50_round1_ms / nullIf(ttft_p50_round2_ms, 0) AS ttft_p50_speedup,
    sumIf(output_tokens, round = 1 AND status = 'ok')
        / nullIf(dateDiff('microsecond', minIf(start_time, round = 1), maxIf(end_time, round = 1)) / 1e6, 0)
        AS output_tokens_per_s_round1,
    sumIf(output_tokens, round = 2 AND status = 'ok')
        / nullIf(dateDiff('microsecond', minIf(start_time, round = 2), maxIf(end_time, round = 2)) / 1e6, 0)
        AS output_tokens_per_s_round2,
    if(countIf(round = 1 AND status = 'ok' AND cached_tokens IS NOT NULL) = 0, NULL,
        sumIf(cached_tokens, round = 1 AND status = 'ok') / nullIf(sumIf(prompt_tokens, round = 1 AND status = 'ok'), 0))
        AS hit_rate_round1,
    if(countIf(round = 2 AND status = 'ok' AND cached_tokens IS NOT NULL) = 0, NULL,
        sumIf(cached_tokens, round = 2 AND status = 'ok') / nullIf(sumIf(prompt_tokens, round = 2 AND status = 'ok'), 0))
        AS hit_rate_round2
FROM {db:Identifier}.requests FINAL
WHERE run_id = {run:String}
GROUP BY scenario, concurrency
ORDER BY scenario, concurrency
