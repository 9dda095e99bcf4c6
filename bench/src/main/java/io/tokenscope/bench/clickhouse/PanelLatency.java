package io.tokenscope.bench.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenscope.aggregator.sink.ClickHouse;
import io.tokenscope.bench.ClickHouseHttp;
import io.tokenscope.bench.grafana.PanelSql;
import io.tokenscope.cli.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How long every Grafana panel and every sql/queries file takes on ClickHouse as the raw token
 * table grows. For each size it fills a database of its own with the real DDL and synthetic
 * runs shaped like the producer's (100 chunks per request, 10,000 requests per run, requests
 * 20 ms apart, 1 in 50 failing, round 2 mostly cached), then runs each query a few times.
 */
public final class PanelLatency {
    private PanelLatency() {}

    public record Options(String clickhouseUrl, List<Long> sizes, int repeats, Path root, Path out, boolean keep) {
        static final String USAGE = """
                bench clickhouse: latency of every Grafana panel and sql/queries file over growing data
                  --clickhouse-url URL   (default http://127.0.0.1:18123)
                  --token-events N...    raw token rows per size, one database each (default 10000000 100000000)
                  --repeats N            timed runs per query after one untimed (default 3)
                  --root DIR             the checkout holding sql/ and grafana/ (default .)
                  --out DIR              where bench-clickhouse.csv goes (default .tokenscope/bench)
                  --keep true            keep the bench databases (default false: dropped at the end)
                """;

        public static Options parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("--clickhouse-url", "--token-events", "--repeats", "--root", "--out",
                    "--keep"), Set.of("--token-events"));
            List<Long> sizes = new ArrayList<>();
            for (String s : f.all("--token-events")) {
                long n = Flags.whole("--token-events", s);
                if (n < 100_000) throw new IllegalArgumentException("--token-events must be >= 100000, got " + n);
                sizes.add(n);
            }
            if (sizes.isEmpty()) sizes.addAll(List.of(10_000_000L, 100_000_000L));
            int repeats = f.whole("--repeats", 3);
            if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1");
            return new Options(f.text("--clickhouse-url", "http://127.0.0.1:18123"), List.copyOf(sizes), repeats,
                    Path.of(f.text("--root", ".")), Path.of(f.text("--out", ".tokenscope/bench")),
                    Boolean.parseBoolean(f.text("--keep", "false")));
        }
    }

    private static final int CHUNKS = 100, REQUESTS_PER_RUN = 10_000;
    private static final long REQUEST_SPACING_US = 20_000;

    public static void run(Options o) throws Exception {
        ClickHouseHttp ch = new ClickHouseHttp(o.clickhouseUrl());
        Map<String, Map<Long, double[]>> results = new LinkedHashMap<>();
        for (long size : o.sizes()) {
            String db = "bench_panels_" + size;
            long requests = size / CHUNKS;
            long spanUs = requests * REQUEST_SPACING_US;
            Instant start = Instant.now().minus(Duration.ofSeconds(spanUs / 1_000_000 + 60));
            long t0 = System.nanoTime();
            fill(ch, o, db, size, start);
            System.out.printf(Locale.ROOT, "%s: %,d token events, %,d requests filled in %.1f s; %s on disk%n", db, size,
                    requests, (System.nanoTime() - t0) / 1e9, ch.sql("SELECT formatReadableSize(sum(bytes_on_disk)) "
                            + "FROM system.parts WHERE active AND database = '" + db + "'").strip());
            PanelSql.Range range = new PanelSql.Range(start.minus(Duration.ofMinutes(5)), Instant.now(),
                    Duration.ofSeconds(Math.max(1, (spanUs / 1_000_000 + 360) / 1000)));
            String last = "bench-run-" + Math.max(0, (requests - 1) / REQUESTS_PER_RUN);
            for (Map.Entry<String, Query> q : queries(ch, o, db, range, last).entrySet()) {
                double[] ms = time(ch, o, q.getValue());
                results.computeIfAbsent(q.getKey(), k -> new LinkedHashMap<>()).put(size, ms);
            }
            if (!o.keep()) ch.sql("DROP DATABASE IF EXISTS " + db);
        }
        print(o, results);
    }

    record Query(String sql, Map<String, String> params) {}

    private static void fill(ClickHouseHttp ch, Options o, String db, long size, Instant start) throws Exception {
        ch.sql("DROP DATABASE IF EXISTS " + db);
        // The tables exactly as the aggregator makes them; retention long enough to keep every row.
        new ClickHouse(o.clickhouseUrl(), db, "default", "").applyDdl(3650, 3650);
        long startUs = start.toEpochMilli() * 1000;
        long perRun = (long) REQUESTS_PER_RUN * CHUNKS;
        String request = "intDiv(number, " + CHUNKS + ")";
        ch.sql("INSERT INTO " + db + ".token_events (run_id, request_id, scenario, round, concurrency, endpoint, model, "
                + "chunk_index, tokens_in_chunk, arrival_ns, wall_time, text) SELECT "
                + "concat('bench-run-', toString(intDiv(number, " + perRun + "))), concat('req-', toString(" + request + ")), "
                + "'synthetic', 1 + intDiv(" + request + ", " + REQUESTS_PER_RUN / 2 + ") % 2, "
                + "[1, 5, 10, 20, 50][1 + " + request + " % 5], 'http://127.0.0.1:8000', 'sim-llama-8b', "
                + "number % " + CHUNKS + ", 1, (50 + (number % " + CHUNKS + ") * 10) * 1000000 + cityHash64(number) % 2000000, "
                + "fromUnixTimestamp64Micro(toInt64(" + startUs + " + " + request + " * " + REQUEST_SPACING_US
                + " + (number % " + CHUNKS + ") * 10000)), ' tok' FROM numbers(" + size + ")");
        long requests = size / CHUNKS;
        ch.sql("INSERT INTO " + db + ".requests (run_id, request_id, scenario, round, concurrency, endpoint, model, status, "
                + "http_status, error_class, start_time, end_time, ttft_ms, mean_itl_ms, tpot_ms, e2e_ms, chunks, output_tokens, "
                + "prompt_tokens, cached_tokens) SELECT "
                + "concat('bench-run-', toString(intDiv(number, " + REQUESTS_PER_RUN + "))), concat('req-', toString(number)), "
                + "'synthetic', 1 + intDiv(number, " + REQUESTS_PER_RUN / 2 + ") % 2, [1, 5, 10, 20, 50][1 + number % 5], "
                + "'http://127.0.0.1:8000', 'sim-llama-8b', if(number % 50 = 0, 'error', 'ok'), if(number % 50 = 0, 503, 200), "
                + "if(number % 50 = 0, 'http_503', NULL), fromUnixTimestamp64Micro(toInt64(" + startUs + " + number * "
                + REQUEST_SPACING_US + ")), fromUnixTimestamp64Micro(toInt64(" + startUs + " + number * " + REQUEST_SPACING_US
                + " + 1040000)), 50 + (cityHash64(number) % 20000) / 1000, 10, 10, 1040, " + CHUNKS + ", " + CHUNKS + ", "
                + "500 + number % 1000, if(intDiv(number, " + REQUESTS_PER_RUN / 2 + ") % 2 = 1, 480, 0) FROM numbers(" + requests
                + ")");
        ch.sql("INSERT INTO " + db + ".window_aggregates (run_id, scenario, round, concurrency, endpoint, model, "
                + "window_start, window_end, version, requests, successes, good_requests, output_tokens, prompt_tokens, "
                + "cached_tokens, ttft_p50_ms, ttft_p90_ms, ttft_p99_ms, itl_p50_ms, itl_p90_ms, itl_p99_ms, "
                + "output_tokens_per_s, goodput_rps, cache_hit_rate) SELECT run_id, scenario, round, concurrency, endpoint, "
                + "model, toStartOfInterval(start_time, INTERVAL 10 second) AS ws, ws + INTERVAL 10 second, 1, count(), "
                + "countIf(status = 'ok'), countIf(status = 'ok' AND ttft_ms < 1000), sum(output_tokens), sum(prompt_tokens), "
                + "sum(cached_tokens), quantile(0.5)(ttft_ms), quantile(0.9)(ttft_ms), quantile(0.99)(ttft_ms), 10, 10.5, 11, "
                + "sum(output_tokens) / 10, countIf(status = 'ok') / 10, sum(cached_tokens) / sum(prompt_tokens) "
                + "FROM " + db + ".requests GROUP BY run_id, scenario, round, concurrency, endpoint, model, ws");
    }

    /**
     * Every dashboard panel and variable query and every sql/queries file, named and ready to run.
     * run: the run the one-run panels and queries look at (the newest); the first run is the baseline.
     */
    private static Map<String, Query> queries(ClickHouseHttp ch, Options o, String db, PanelSql.Range range, String run)
            throws Exception {
        Map<String, Query> all = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(o.root().resolve("grafana/dashboards"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                String board = file.getFileName().toString().replace(".json", "");
                Map<String, List<String>> vars = new HashMap<>();
                for (JsonNode v : dashboard.path("templating").path("list")) {
                    String name = v.path("name").asText();
                    List<String> value = switch (name) {
                        case "db" -> List.of(db);
                        case "run", "candidate" -> List.of(run);
                        case "baseline" -> List.of("bench-run-0");
                        default -> {
                            String q = PanelSql.expand(v.path("query").asText(), vars, range);
                            all.put(board + " / $" + name, new Query(q, Map.of()));
                            List<String> listed = ch.sql(q).lines().filter(l -> !l.isEmpty()).toList();
                            if (listed.isEmpty()) throw new IllegalStateException("variable $" + name + " lists nothing");
                            yield v.path("multi").asBoolean() ? listed : List.of(listed.get(0));
                        }
                    };
                    vars.put(name, value);
                }
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        all.put(board + " / " + panel.path("title").asText(),
                                new Query(PanelSql.expand(target.path("rawSql").asText(), vars, range), Map.of()));
                    }
                }
            }
        }
        Map<String, Map<String, String>> params = Map.of(
                "itl_distribution.sql", Map.of("run", run, "bucket_ms", "1"),
                "ttft_vs_prompt_length.sql", Map.of("run", run, "bucket_tokens", "128"),
                "rounds_by_concurrency.sql", Map.of("run", run),
                "server_hit_rate_by_round.sql", Map.of("run", run),
                "slowest_requests.sql", Map.of("run", run, "limit", "10"),
                "hit_rate_over_time.sql", Map.of("from", "2000-01-01 00:00:00", "to", "2100-01-01 00:00:00", "step_s", "600"));
        try (Stream<Path> files = Files.list(o.root().resolve("sql/queries"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                Map<String, String> p = new HashMap<>(params.getOrDefault(name, Map.of()));
                p.put("db", db);
                all.put("sql/queries/" + name, new Query(Files.readString(f), p));
            }
        }
        return all;
    }

    /** Median and maximum of the timed runs, in ms, after one untimed run. */
    private static double[] time(ClickHouseHttp ch, Options o, Query q) throws Exception {
        ch.sql(q.sql(), q.params());
        double[] ms = new double[o.repeats()];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            ch.sql(q.sql(), q.params());
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[ms.length - 1]};
    }

    private static void print(Options o, Map<String, Map<Long, double[]>> results) throws IOException {
        StringBuilder head = new StringBuilder(String.format("%-70s", "query (median / max ms)"));
        List<String> csv = new ArrayList<>(List.of("query,token_events,median_ms,max_ms"));
        for (long size : o.sizes()) head.append(String.format(Locale.ROOT, " %22s", String.format("%,d events", size)));
        System.out.println();
        System.out.println(head);
        results.forEach((name, bySize) -> {
            StringBuilder line = new StringBuilder(String.format("%-70s", name.length() > 70 ? name.substring(0, 67) + "..." : name));
            bySize.forEach((size, ms) -> {
                line.append(String.format(Locale.ROOT, " %10.1f / %9.1f", ms[0], ms[1]));
                csv.add(String.format(Locale.ROOT, "\"%s\",%d,%.1f,%.1f", name.replace("\"", "'"), size, ms[0], ms[1]));
            });
            System.out.println(line);
        });
        Files.createDirectories(o.out());
        Files.write(o.out().resolve("bench-clickhouse.csv"), csv);
        System.out.println("written: " + o.out().resolve("bench-clickhouse.csv"));
    }
}
