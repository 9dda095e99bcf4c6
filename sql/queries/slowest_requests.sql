-- The slowest requests of a run by end-to-end latency, each with its token timeline: the arrival
-- of every chunk in ms since the request was sent and the tokens it carried, in chunk order.
-- Parameters: db Identifier, run String, limit UInt32 (e.g. 10).
SELECT
    r.request_id,
    r.concurrency,
    r.round,
    r.status,
    r.error_class,
    r.ttft_ms,
    r.e2e_ms,
    r.prompt_tokens,
    r.cached_tokens,
    r.output_tokens,
    t.arrivals_ms,
    t.tokens
FROM
(
    SELECT *
    FROM {db:Identifier}.requests FINAL
    WHERE run_id = {run:String}
    ORDER BY e2e_ms DESC
    LIMIT {limit:UInt32}
) AS r
LEFT JOIN
(
    SELECT
        request_id,
        arrayMap(c -> c.2, arraySort(groupArray((chunk_index, arrival_ns / 1e6)))) AS arrivals_ms,
        arrayMap(c -> c.2, arraySort(groupArray((chunk_index, tokens_in_chunk)))) AS tokens
    FROM {db:Identifier}.token_events FINAL
    WHERE run_id = {run:String}
    GROUP BY request_id
) AS t USING (request_id)
ORDER BY r.e2e_ms DESC
