-- Core tables written by stream-aggregator's ClickHouse sink. Applied at start-up; every
-- statement is idempotent. {db} is replaced by --clickhouse-database.
--
-- Idempotence: the sink writes at least once (it commits Kafka offsets after the insert), so a
-- retried batch may repeat rows. Each table is a ReplacingMergeTree whose ORDER BY is the
-- natural key of a row, so repeats collapse on merge; queries that must be exact before a merge
-- use FINAL. window_aggregates keeps the row with the highest version (the newest update).

CREATE DATABASE IF NOT EXISTS {db};

CREATE TABLE IF NOT EXISTS {db}.token_events
(
    run_id          LowCardinality(String),
    request_id      String,
    scenario        LowCardinality(String),
    round           UInt16,
    concurrency     UInt32,
    endpoint        LowCardinality(String),
    model           LowCardinality(String),
    chunk_index     UInt32,
    tokens_in_chunk UInt32,
    arrival_ns      Int64 COMMENT 'monotonic ns since the request was sent',
    wall_time       DateTime64(6, 'UTC'),
    text            String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(wall_time)
ORDER BY (run_id, request_id, chunk_index);

CREATE TABLE IF NOT EXISTS {db}.requests
(
    run_id         LowCardinality(String),
    request_id     String,
    scenario       LowCardinality(String),
    round          UInt16,
    concurrency    UInt32,
    endpoint       LowCardinality(String),
    model          LowCardinality(String),
    status         LowCardinality(String),
    http_status    UInt16,
    error_class    LowCardinality(Nullable(String)),
    start_time     DateTime64(6, 'UTC'),
    end_time       DateTime64(6, 'UTC'),
    ttft_ms        Nullable(Float64),
    mean_itl_ms    Nullable(Float64),
    tpot_ms        Nullable(Float64),
    e2e_ms         Float64,
    chunks         UInt32,
    output_tokens  UInt32,
    prompt_tokens  Nullable(UInt32),
    cached_tokens  Nullable(UInt32)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(start_time)
ORDER BY (run_id, request_id);

CREATE TABLE IF NOT EXISTS {db}.window_aggregates
(
    run_id              LowCardinality(String),
    scenario            LowCardinality(String),
    round               UInt16,
    concurrency         UInt32,
    endpoint            LowCardinality(String),
    model               LowCardinality(String),
    window_start        DateTime64(3, 'UTC'),
    window_end          DateTime64(3, 'UTC'),
    version             UInt64,
    requests            UInt64,
    successes           UInt64,
    good_requests       UInt64,
    output_tokens       UInt64,
    prompt_tokens       UInt64,
    cached_tokens       UInt64,
    ttft_p50_ms         Nullable(Float64),
    ttft_p90_ms         Nullable(Float64),
    ttft_p99_ms         Nullable(Float64),
    itl_p50_ms          Nullable(Float64),
    itl_p90_ms          Nullable(Float64),
    itl_p99_ms          Nullable(Float64),
    output_tokens_per_s Float64,
    goodput_rps         Float64,
    cache_hit_rate      Nullable(Float64)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (run_id, scenario, round, concurrency, endpoint, model, window_start);
