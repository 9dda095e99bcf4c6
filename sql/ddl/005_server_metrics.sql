-- The server's own prefix-cache counters (vLLM's vllm:prefix_cache_queries/_hits, LMCache's or
-- any given by --cache-metrics), as the producer scraped them at the start and end of each
-- (concurrency, round). A round's server-side hit rate is the hits delta over the queries delta.

CREATE TABLE IF NOT EXISTS {db}.server_metrics
(
    run_id               LowCardinality(String),
    scenario             LowCardinality(String),
    round                UInt16,
    concurrency          UInt32,
    endpoint             LowCardinality(String),
    model                LowCardinality(String),
    phase                LowCardinality(String),
    wall_time            DateTime64(6, 'UTC'),
    prefix_cache_queries Nullable(Float64),
    prefix_cache_hits    Nullable(Float64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(wall_time)
ORDER BY (run_id, scenario, round, concurrency, phase, wall_time)
SETTINGS non_replicated_deduplication_window = 1000;

ALTER TABLE {db}.server_metrics MODIFY TTL toDateTime(wall_time) + toIntervalDay({retention_days});
