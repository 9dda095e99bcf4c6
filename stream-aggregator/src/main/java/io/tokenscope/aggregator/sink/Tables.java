package io.tokenscope.aggregator.sink;

import io.tokenscope.aggregator.Sketches;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.schemas.WindowAggregate;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** Column lists and row binders for the tables the sink writes. */
final class Tables {
    private Tables() {}

    interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    record Table<T>(String name, String[] columns, Binder<T> binder) {
        String insertSql(String database, String deduplicationToken) {
            return "INSERT INTO " + database + "." + name + " (" + String.join(", ", columns) + ") SETTINGS "
                    + "insert_deduplication_token = '" + deduplicationToken + "' VALUES ("
                    + "?, ".repeat(columns.length - 1) + "?)";
        }
    }

    static final Table<TokenChunk> TOKEN_EVENTS = new Table<>("token_events",
            new String[] {"run_id", "request_id", "scenario", "round", "concurrency", "endpoint", "model", "chunk_index",
                "tokens_in_chunk", "arrival_ns", "wall_time", "text"},
            (ps, c) -> {
                ps.setString(1, c.getRunId());
                ps.setString(2, c.getRequestId());
                ps.setString(3, c.getScenario());
                ps.setInt(4, c.getRound());
                ps.setInt(5, c.getConcurrency());
                ps.setString(6, c.getEndpoint());
                ps.setString(7, c.getModel());
                ps.setInt(8, c.getChunkIndex());
                ps.setInt(9, c.getTokensInChunk());
                ps.setLong(10, c.getArrivalNs());
                ps.setObject(11, utc(c.getWallUs()));
                ps.setString(12, c.getText());
            });

    static final Table<ServerMetricSample> SERVER_METRICS = new Table<>("server_metrics",
            new String[] {"run_id", "scenario", "round", "concurrency", "endpoint", "model", "phase", "wall_time",
                "prefix_cache_queries", "prefix_cache_hits"},
            (ps, m) -> {
                ps.setString(1, m.getRunId());
                ps.setString(2, m.getScenario());
                ps.setInt(3, m.getRound());
                ps.setInt(4, m.getConcurrency());
                ps.setString(5, m.getEndpoint());
                ps.setString(6, m.getModel());
                ps.setString(7, m.getPhase());
                ps.setObject(8, utc(m.getWallUs()));
                if (m.getPrefixCacheQueries() == null) ps.setNull(9, Types.DOUBLE); else ps.setDouble(9, m.getPrefixCacheQueries());
                if (m.getPrefixCacheHits() == null) ps.setNull(10, Types.DOUBLE); else ps.setDouble(10, m.getPrefixCacheHits());
            });

    static final Table<RequestMetrics> REQUESTS = new Table<>("requests",
            new String[] {"run_id", "request_id", "scenario", "round", "concurrency", "endpoint", "model", "status",
                "http_status", "error_class", "start_time", "end_time", "ttft_ms", "mean_itl_ms", "tpot_ms", "e2e_ms",
                "chunks", "output_tokens", "prompt_tokens", "cached_tokens"},
            (ps, m) -> {
                ps.setString(1, m.getRunId());
                ps.setString(2, m.getRequestId());
                ps.setString(3, m.getScenario());
                ps.setInt(4, m.getRound());
                ps.setInt(5, m.getConcurrency());
                ps.setString(6, m.getEndpoint());
                ps.setString(7, m.getModel());
                ps.setString(8, m.getStatus());
                ps.setInt(9, m.getHttpStatus());
                nullableString(ps, 10, m.getErrorClass());
                ps.setObject(11, utc(m.getStartWallUs()));
                ps.setObject(12, utc(m.getEndWallUs()));
                nullableDouble(ps, 13, m.getTtftMs());
                nullableDouble(ps, 14, m.getMeanItlMs());
                nullableDouble(ps, 15, m.getTpotMs());
                ps.setDouble(16, m.getE2eMs());
                ps.setInt(17, m.getChunks());
                ps.setInt(18, m.getOutputTokens());
                nullableInt(ps, 19, m.getPromptTokens());
                nullableInt(ps, 20, m.getCachedTokens());
            });

    static final Table<WindowAggregate> WINDOWS = new Table<>("window_aggregates",
            new String[] {"run_id", "scenario", "round", "concurrency", "endpoint", "model", "window_start",
                "window_end", "version", "requests", "successes", "good_requests", "output_tokens", "prompt_tokens",
                "cached_tokens", "ttft_p50_ms", "ttft_p90_ms", "ttft_p99_ms", "itl_p50_ms", "itl_p90_ms", "itl_p99_ms",
                "output_tokens_per_s", "goodput_rps", "cache_hit_rate", "ttft_sketch", "itl_sketch",
                "incomplete_requests", "server_queried_tokens", "server_hit_tokens", "server_cache_hit_rate"},
            (ps, w) -> {
                ps.setString(1, w.getRunId());
                ps.setString(2, w.getScenario());
                ps.setInt(3, w.getRound());
                ps.setInt(4, w.getConcurrency());
                ps.setString(5, w.getEndpoint());
                ps.setString(6, w.getModel());
                ps.setObject(7, utc(w.getWindowStart()));
                ps.setObject(8, utc(w.getWindowEnd()));
                ps.setLong(9, w.getVersion());
                ps.setLong(10, w.getRequests());
                ps.setLong(11, w.getSuccesses());
                ps.setLong(12, w.getGoodRequests());
                ps.setLong(13, w.getOutputTokens());
                ps.setLong(14, w.getPromptTokens());
                ps.setLong(15, w.getCachedTokens());
                nullableDouble(ps, 16, w.getTtftP50Ms());
                nullableDouble(ps, 17, w.getTtftP90Ms());
                nullableDouble(ps, 18, w.getTtftP99Ms());
                nullableDouble(ps, 19, w.getItlP50Ms());
                nullableDouble(ps, 20, w.getItlP90Ms());
                nullableDouble(ps, 21, w.getItlP99Ms());
                ps.setDouble(22, w.getOutputTokensPerS());
                ps.setDouble(23, w.getGoodputRps());
                nullableDouble(ps, 24, w.getCacheHitRate());
                ps.setString(25, base64(w.getTtftSketch()));
                ps.setString(26, base64(w.getItlSketch()));
                ps.setLong(27, w.getIncompleteRequests());
                nullableDouble(ps, 28, w.getServerQueriedTokens());
                nullableDouble(ps, 29, w.getServerHitTokens());
                nullableDouble(ps, 30, w.getServerCacheHitRate());
            });

    static final Table<WindowAggregate> RUN_TOTALS = new Table<>("run_totals", WINDOWS.columns(), WINDOWS.binder());

    /** Columns are DateTime64 in UTC; a zone-less UTC value avoids any driver time-zone shift. */
    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * Sketches go in as base64 text because clickhouse-jdbc 0.9.4 binds a byte[] parameter as an
     * array literal ("[5,1,...]"), not as the bytes; base64Decode() in SQL gives them back.
     */
    private static String base64(ByteBuffer b) {
        return b == null ? "" : Base64.getEncoder().encodeToString(Sketches.bytes(b));
    }

    private static void nullableString(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) ps.setNull(i, Types.VARCHAR); else ps.setString(i, v);
    }

    private static void nullableDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE); else ps.setDouble(i, v);
    }

    private static void nullableInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER); else ps.setInt(i, v);
    }
}
