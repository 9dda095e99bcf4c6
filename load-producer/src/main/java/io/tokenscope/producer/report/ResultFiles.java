package io.tokenscope.producer.report;

import io.tokenscope.cli.Csv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tokenscope.producer.drive.RequestResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's files: {@code concurrency_<c>_round_<r>.json} with one object per request (in an
 * input-length sweep, {@code input_<L>_round_<r>.json}), and {@code metrics_summary.csv} with
 * one row per (concurrency, round) or (input length, round), all times in ms.
 */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] STATS = {"mean", "p50", "p90", "p99", "min", "max", "stddev"};

    /** One measured configuration; inputLength is 0 outside an input-length sweep. */
    public record Config(int concurrency, int round, String scenario, int inputLength, RunSummary summary,
                         List<RequestResult> results, Double serverHitRate) {
        public Config {
            results = java.util.Collections.unmodifiableList(new ArrayList<>(results));
        }

        String fileName() {
            return (inputLength > 0 ? "input_" + inputLength : "concurrency_" + concurrency) + "_round_" + round + ".json";
        }
    }

    private ResultFiles() {}

    public static void write(Path dir, List<Config> configs) {
        try {
            Files.createDirectories(dir);
            for (Config c : configs) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RequestResult r : c.results()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("request_id", r.requestId());
                    row.put("ok", r.ok());
                    row.put("error_class", r.errorClass());
                    row.put("http_status", r.httpStatus());
                    row.put("ttft_ms", r.ttftNs() < 0 ? null : r.ttftNs() / 1e6);
                    row.put("e2e_ms", r.endNs() / 1e6);
                    row.put("start_mono_ns", r.startMonoNs());
                    row.put("schedule_lag_ms", r.scheduleLagNs() / 1e6);
                    row.put("prompt_tokens", r.promptTokens());
                    row.put("output_tokens", r.effectiveOutputTokens());
                    row.put("cached_tokens", r.cachedTokens());
                    row.put("chunks", r.chunks());
                    row.put("text", r.text());
                    List<Double> itl = new ArrayList<>();
                    for (long g : r.gapsNs()) itl.add(g / 1e6);
                    row.put("itl_ms", itl);
                    row.put("chunk_tokens", r.chunkTokens());
                    if (r.serverCache() != null) {
                        row.put("server_cache_queried_tokens", r.serverCache().queriedTokens());
                        row.put("server_cache_hit_tokens", r.serverCache().hitTokens());
                    }
                    rows.add(row);
                }
                JSON.writeValue(dir.resolve(c.fileName()).toFile(), rows);
            }
            StringBuilder csv = new StringBuilder("run_id,concurrency,round,requests,successes,errors,duration_s,"
                    + "requests_per_s,output_tokens_per_s,total_tokens_per_s,prompt_tokens,output_tokens,cached_tokens,"
                    + "cache_hit_rate,server_cache_hit_rate,good_requests,goodput_per_s,sentiment_accuracy");
            statNames(csv, "ttft", "itl", "tpot", "e2e");
            csv.append(",scenario,input_length");
            // Open loop: how late requests went out, and TTFT from the intended start (after the
            // older columns, so readers of files from before them read these too).
            statNames(csv, "schedule_lag", "ttft_from_intended");
            csv.append('\n');
            for (Config c : configs) {
                RunSummary s = c.summary();
                csv.append(Csv.quoted(s.runId())).append(',').append(c.concurrency()).append(',').append(c.round()).append(',')
                        .append(s.requests()).append(',').append(s.successes()).append(',')
                        .append(s.requests() - s.successes()).append(',').append(fmt(s.durationS())).append(',')
                        .append(fmt(s.requestsPerS())).append(',').append(fmt(s.outputTokensPerS())).append(',')
                        .append(fmt(s.totalTokensPerS())).append(',').append(s.promptTokens()).append(',')
                        .append(s.outputTokens()).append(',').append(s.cachedTokens()).append(',')
                        .append(s.usageHitRate() == null ? "" : fmt(s.usageHitRate())).append(',')
                        .append(c.serverHitRate() == null ? "" : fmt(c.serverHitRate())).append(',')
                        .append(s.slo() == null ? "" : String.valueOf(s.goodRequests())).append(',')
                        .append(s.slo() == null || s.durationS() <= 0 ? "" : fmt(s.goodRequests() / s.durationS()))
                        .append(',').append(s.sentiment().labels() == 0 ? "" : fmt(s.sentiment().accuracy()));
                stats(csv, s.ttft(), s.itl(), s.tpot(), s.e2e());
                csv.append(',').append(Csv.quoted(c.scenario())).append(',').append(c.inputLength() > 0 ? c.inputLength() : "");
                stats(csv, s.scheduleLag(), s.ttftFromIntended());
                csv.append('\n');
            }
            Files.writeString(dir.resolve("metrics_summary.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir + " (--output-dir)", e);
        }
    }

    /** The columns {@link #stats} fills: each metric's STATS, in that order. */
    private static void statNames(StringBuilder csv, String... metrics) {
        for (String metric : metrics) {
            for (String stat : STATS) csv.append(',').append(metric).append('_').append(stat).append("_ms");
        }
    }

    /** Each one's STATS, in that order; empty where there were no samples. */
    private static void stats(StringBuilder csv, Stats... all) {
        for (Stats st : all) {
            for (double v : new double[] {st.mean(), st.p50(), st.p90(), st.p99(), st.min(), st.max(), st.stddev()}) {
                csv.append(',').append(Double.isNaN(v) ? "" : fmt(v));
            }
        }
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
