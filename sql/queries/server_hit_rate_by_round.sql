-- The server's own prefix-cache hit rate per (concurrency, round) of a run, from the counters
-- scraped at the start and end of each round: what the engine counted, beside the usage-based
-- rate of rounds_by_concurrency.sql. Counters only grow, so a round's share is end minus start.
-- Parameters: db Identifier, run String.
SELECT
    concurrency,
    round,
    maxIf(prefix_cache_queries, phase = 'round_end') - maxIf(prefix_cache_queries, phase = 'round_start') AS queried_tokens,
    maxIf(prefix_cache_hits, phase = 'round_end') - maxIf(prefix_cache_hits, phase = 'round_start') AS hit_tokens,
    hit_tokens / nullIf(queried_tokens, 0) AS server_hit_rate
FROM {db:Identifier}.server_metrics FINAL
WHERE run_id = {run:String}
GROUP BY concurrency, round
ORDER BY concurrency, round
