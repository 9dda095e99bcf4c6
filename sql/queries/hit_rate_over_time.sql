-- Prefix-cache hit rate over time for every endpoint and model, across runs: the share of
-- prompt tokens served from cache (usage.prompt_tokens_details.cached_tokens) per step_s
-- bucket of the aggregator's windows, with the volume behind each figure; beside it the
-- server's own rate, from its /metrics counters sampled by the producer (NULL without them).
-- A bucket in which no window's requests reported cached tokens has an unknown rate (NULL), not
-- 0; vLLM leaves the field out when nothing was cached, so a fully cold bucket reads NULL too,
-- and the server's rate beside it tells the two apart.
-- Parameters: db Identifier, from DateTime64(3), to DateTime64(3), step_s UInt32 (e.g. 3600).
SELECT
    toStartOfInterval(window_start, toIntervalSecond({step_s:UInt32})) AS time,
    endpoint,
    model,
    sum(requests) AS requests_total,
    sum(prompt_tokens) AS prompt_tokens_total,
    sum(cached_tokens) AS cached_tokens_total,
    if(countIf(cache_hit_rate IS NOT NULL) = 0, NULL, cached_tokens_total / nullIf(prompt_tokens_total, 0)) AS hit_rate,
    sum(server_queried_tokens) AS server_queried_tokens_total,
    sum(server_hit_tokens) AS server_hit_tokens_total,
    server_hit_tokens_total / nullIf(server_queried_tokens_total, 0) AS server_hit_rate
FROM {db:Identifier}.window_aggregates FINAL
WHERE window_start >= {from:DateTime64(3)} AND window_start < {to:DateTime64(3)}
GROUP BY time, endpoint, model
ORDER BY time, endpoint, model
