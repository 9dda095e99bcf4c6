package io.tokenscope.aggregator.sink;

import io.tokenscope.aggregator.Sketches;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.schemas.WindowAggregate;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The tables the sink writes: their columns with ClickHouse types as in sql/ddl, and how a record becomes a row. */
final class Tables {
    private Tables() {}

    record Column(String name, String type) {}

    interface RowWriter<T> {
        void write(RowBinary out, T row);
    }

    record Table<T>(String name, Column[] columns, RowWriter<T> writer) {
        List<String> columnNames() {
            return Arrays.stream(columns).map(Column::name).toList();
        }
    }

    private static final String LABEL = "LowCardinality(String)";
    private static final String MICROS = "DateTime64(6, 'UTC')";
    private static final String MILLIS = "DateTime64(3, 'UTC')";
    private static final String NULLABLE_DOUBLE = "Nullable(Float64)";

    /** run_id, then after any columns given, the rest of a configuration's labels; as every table starts. */
    private static Column[] labelled(Column... between) {
        Column[] head = {new Column("run_id", LABEL)};
        Column[] tail = {new Column("scenario", LABEL), new Column("round", "UInt16"),
            new Column("concurrency", "UInt32"), new Column("endpoint", LABEL), new Column("model", LABEL)};
        Column[] all = Arrays.copyOf(head, 1 + between.length + tail.length);
        System.arraycopy(between, 0, all, 1, between.length);
        System.arraycopy(tail, 0, all, 1 + between.length, tail.length);
        return all;
    }

    private static Column[] concat(Column[] a, Column... b) {
        Column[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void labels(RowBinary out, String scenario, int round, int concurrency, String endpoint, String model) {
        out.string(scenario).uint16(round).uint32(concurrency).string(endpoint).string(model);
    }

    static final Table<TokenChunk> TOKEN_EVENTS = new Table<>("token_events",
            concat(labelled(new Column("request_id", "String")), new Column("chunk_index", "UInt32"),
                    new Column("tokens_in_chunk", "UInt32"), new Column("arrival_ns", "Int64"),
                    new Column("wall_time", MICROS), new Column("text", "String")),
            (out, c) -> {
                out.string(c.getRunId()).string(c.getRequestId());
                labels(out, c.getScenario(), c.getRound(), c.getConcurrency(), c.getEndpoint(), c.getModel());
                out.uint32(c.getChunkIndex()).uint32(c.getTokensInChunk()).int64(c.getArrivalNs())
                        .dateTime64(c.getWallUs(), 6).string(c.getText());
            });

    static final Table<ServerMetricSample> SERVER_METRICS = new Table<>("server_metrics",
            concat(labelled(), new Column("phase", LABEL), new Column("wall_time", MICROS),
                    new Column("prefix_cache_queries", NULLABLE_DOUBLE), new Column("prefix_cache_hits", NULLABLE_DOUBLE)),
            (out, m) -> {
                out.string(m.getRunId());
                labels(out, m.getScenario(), m.getRound(), m.getConcurrency(), m.getEndpoint(), m.getModel());
                out.string(m.getPhase()).dateTime64(m.getWallUs(), 6).nullableFloat64(m.getPrefixCacheQueries())
                        .nullableFloat64(m.getPrefixCacheHits());
            });

    static final Table<RequestMetrics> REQUESTS = new Table<>("requests",
            concat(labelled(new Column("request_id", "String")), new Column("status", LABEL),
                    new Column("http_status", "UInt16"), new Column("error_class", "LowCardinality(Nullable(String))"),
                    new Column("start_time", MICROS), new Column("end_time", MICROS),
                    new Column("ttft_ms", NULLABLE_DOUBLE), new Column("mean_itl_ms", NULLABLE_DOUBLE),
                    new Column("tpot_ms", NULLABLE_DOUBLE), new Column("e2e_ms", "Float64"), new Column("chunks", "UInt32"),
                    new Column("output_tokens", "UInt32"), new Column("prompt_tokens", "Nullable(UInt32)"),
                    new Column("cached_tokens", "Nullable(UInt32)"), new Column("schedule_lag_ms", "Float64")),
            (out, m) -> {
                out.string(m.getRunId()).string(m.getRequestId());
                labels(out, m.getScenario(), m.getRound(), m.getConcurrency(), m.getEndpoint(), m.getModel());
                out.string(m.getStatus()).uint16(m.getHttpStatus()).nullableString(m.getErrorClass())
                        .dateTime64(m.getStartWallUs(), 6).dateTime64(m.getEndWallUs(), 6)
                        .nullableFloat64(m.getTtftMs()).nullableFloat64(m.getMeanItlMs()).nullableFloat64(m.getTpotMs())
                        .float64(m.getE2eMs()).uint32(m.getChunks()).uint32(m.getOutputTokens())
                        .nullableUInt32(m.getPromptTokens()).nullableUInt32(m.getCachedTokens())
                        .float64(m.getScheduleLagMs());
            });

    static final Table<WindowAggregate> WINDOWS = new Table<>("window_aggregates",
            concat(labelled(), new Column("window_start", MILLIS), new Column("window_end", MILLIS),
                    new Column("version", "UInt64"), new Column("requests", "UInt64"), new Column("successes", "UInt64"),
                    new Column("good_requests", "UInt64"), new Column("output_tokens", "UInt64"),
                    new Column("prompt_tokens", "UInt64"), new Column("cached_tokens", "UInt64"),
                    new Column("ttft_p50_ms", NULLABLE_DOUBLE), new Column("ttft_p90_ms", NULLABLE_DOUBLE),
                    new Column("ttft_p99_ms", NULLABLE_DOUBLE), new Column("itl_p50_ms", NULLABLE_DOUBLE),
                    new Column("itl_p90_ms", NULLABLE_DOUBLE), new Column("itl_p99_ms", NULLABLE_DOUBLE),
                    new Column("output_tokens_per_s", "Float64"), new Column("goodput_rps", "Float64"),
                    new Column("cache_hit_rate", NULLABLE_DOUBLE), new Column("ttft_sketch", "String"),
                    new Column("itl_sketch", "String"), new Column("incomplete_requests", "UInt64"),
                    new Column("server_queried_tokens", NULLABLE_DOUBLE), new Column("server_hit_tokens", NULLABLE_DOUBLE),
                    new Column("server_cache_hit_rate", NULLABLE_DOUBLE)),
            (out, w) -> {
                out.string(w.getRunId());
                labels(out, w.getScenario(), w.getRound(), w.getConcurrency(), w.getEndpoint(), w.getModel());
                out.dateTime64(w.getWindowStart(), 3).dateTime64(w.getWindowEnd(), 3).int64(w.getVersion())
                        .int64(w.getRequests()).int64(w.getSuccesses()).int64(w.getGoodRequests())
                        .int64(w.getOutputTokens()).int64(w.getPromptTokens()).int64(w.getCachedTokens())
                        .nullableFloat64(w.getTtftP50Ms()).nullableFloat64(w.getTtftP90Ms())
                        .nullableFloat64(w.getTtftP99Ms()).nullableFloat64(w.getItlP50Ms())
                        .nullableFloat64(w.getItlP90Ms()).nullableFloat64(w.getItlP99Ms())
                        .float64(w.getOutputTokensPerS()).float64(w.getGoodputRps()).nullableFloat64(w.getCacheHitRate())
                        .string(base64(w.getTtftSketch())).string(base64(w.getItlSketch()))
                        .int64(w.getIncompleteRequests()).nullableFloat64(w.getServerQueriedTokens())
                        .nullableFloat64(w.getServerHitTokens()).nullableFloat64(w.getServerCacheHitRate());
            });

    static final Table<WindowAggregate> RUN_TOTALS = new Table<>("run_totals", WINDOWS.columns(), WINDOWS.writer());

    /** Sketches are stored as base64 text (see sql/ddl/002_window_sketches.sql); base64Decode() in SQL gives the bytes. */
    private static String base64(ByteBuffer b) {
        return b == null ? "" : Base64.getEncoder().encodeToString(Sketches.bytes(b));
    }
}
