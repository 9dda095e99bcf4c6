-- The server's own prefix-cache hit rate per configuration (scenario, concurrency, round,
-- endpoint, model) of a run, from the counters the producer scraped at each round's start and
-- end and during it: what the engine counted, beside the usage-based rate of
-- rounds_by_concurrency.sql. A round's share is the growth between consecutive samples. When
-- either counter went down, the server restarted, which resets both, so both have grown from 0
-- since (as Prometheus' rate() reads a reset, and as the aggregator's windows count it). Samples
-- without both counters, or with a non-finite one, carry nothing and are left out.
-- Parameters: db Identifier, run String.
WITH samples AS
(
    SELECT
        scenario, concurrency, round, endpoint, model,
        prefix_cache_queries AS queries,
        prefix_cache_hits AS hits,
        lagInFrame(prefix_cache_queries) OVER w AS previous_queries,
        lagInFrame(prefix_cache_hits) OVER w AS previous_hits,
        row_number() OVER w AS n
    FROM {db:Identifier}.server_metrics FINAL
    WHERE run_id = {run:String}
        AND prefix_cache_queries IS NOT NULL AND prefix_cache_hits IS NOT NULL
        AND isFinite(prefix_cache_queries) AND isFinite(prefix_cache_hits)
    WINDOW w AS (PARTITION BY scenario, concurrency, round, endpoint, model ORDER BY wall_time
        ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
)
SELECT
    scenario,
    concurrency,
    round,
    endpoint,
    model,
    sumIf(if(queries < previous_queries OR hits < previous_hits, queries, queries - previous_queries), n > 1)
        AS queried_tokens,
    sumIf(if(queries < previous_queries OR hits < previous_hits, hits, hits - previous_hits), n > 1) AS hit_tokens,
    hit_tokens / nullIf(queried_tokens, 0) AS server_hit_rate
FROM samples
GROUP BY scenario, concurrency, round, endpoint, model
ORDER BY scenario, concurrency, round, endpoint, model
