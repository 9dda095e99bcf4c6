package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenscope.bench.grafana.PanelSql;
import io.tokenscope.producer.LoadRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ready-made query in sql/queries and every Grafana panel in grafana/dashboards, run
 * against the real ClickHouse holding two real dual-round runs (a baseline and a candidate, at
 * concurrency 2 and 4, with every 7th request failing with HTTP 503 so error panels have data,
 * and the server's /metrics sampled every 100 ms during each round).
 */
class AnalyticsSqlTest {
    private static final Path QUERIES = Path.of("..", "sql", "queries");
    private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");
    private static final int PER_RUN = 2 * 2 * 8;

    private static Pipeline pipeline;
    private static String db;
    private static final String BASELINE = Services.unique("baseline");
    private static final String CANDIDATE = Services.unique("candidate");
    private static LoadRun.Report candidateReport;

    @BeforeAll
    static void twoRuns() throws Exception {
        pipeline = new Pipeline("--engine", "vllm", "--fault-every", "7=http_503");
        db = pipeline.database;
        for (String run : List.of(BASELINE, CANDIDATE)) {
            LoadRun.Report report = pipeline.run(run, "--concurrency", "2", "4", "--rounds", "2", "--requests", "8",
                    "--max-tokens", "12", "--reset-prefix-cache", "true", "--scrape-interval-s", "0.1");
            if (run.equals(CANDIDATE)) candidateReport = report;
        }
        for (String run : List.of(BASELINE, CANDIDATE)) {
            assertEquals(PER_RUN, Services.awaitCount("SELECT sum(requests) FROM " + db
                    + ".window_aggregates FINAL WHERE run_id = '" + run + "'", PER_RUN, 60_000), run);
            assertEquals(PER_RUN, Services.count("SELECT count() FROM " + db + ".requests FINAL WHERE run_id = '" + run + "'"));
        }
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) pipeline.close();
    }

    // ---- sql/queries ----

    private static Table query(String file, Map<String, String> params) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("db", db);
        String sql = Files.readString(QUERIES.resolve(file));
        return Table.parse(Services.sql(sql + "\nFORMAT TSVWithNamesAndTypes", all));
    }

    @Test
    void everyQueryFileIsExercisedHere() throws Exception {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(QUERIES)) {
            s.forEach(p -> files.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(List.of("hit_rate_over_time.sql", "itl_distribution.sql", "rounds_by_concurrency.sql",
                "server_hit_rate_by_round.sql", "slowest_requests.sql", "ttft_vs_prompt_length.sql")), files,
                "a query in sql/queries without a test below");
    }

    @Test
    void itlDistributionCoversEveryGapOnce() throws Exception {
        Table t = query("itl_distribution.sql", Map.of("run", CANDIDATE, "bucket_ms", "1"));
        assertEquals(List.of("bucket_ms", "gaps", "share", "cumulative_share"), t.names());
        long gaps = t.rows().stream().mapToLong(r -> Long.parseLong(r.get(1))).sum();
        assertEquals(Services.count("SELECT count() FROM " + db + ".token_events FINAL WHERE run_id = '" + CANDIDATE
                + "' AND chunk_index > 0 AND request_id IN (SELECT request_id FROM " + db + ".requests FINAL WHERE run_id = '"
                + CANDIDATE + "' AND status = 'ok')"), gaps);
        assertTrue(gaps > 0);
        assertEquals(1.0, Double.parseDouble(t.rows().get(t.rows().size() - 1).get(3)), 1e-9, "the CDF ends at 1");
    }

    @Test
    void ttftByPromptLengthCountsEverySuccess() throws Exception {
        Table t = query("ttft_vs_prompt_length.sql", Map.of("run", CANDIDATE, "bucket_tokens", "32"));
        long requests = t.rows().stream().mapToLong(r -> Long.parseLong(r.get(t.column("requests")))).sum();
        assertEquals(candidateReport.configs().stream().mapToLong(c -> c.summary().successes()).sum(), requests);
        for (List<String> r : t.rows()) {
            assertTrue(Double.parseDouble(r.get(t.column("ttft_p50_ms"))) <= Double.parseDouble(r.get(t.column("ttft_p90_ms"))));
        }
    }

    @Test
    void roundTwoIsWarmAtEveryConcurrency() throws Exception {
        Table t = query("rounds_by_concurrency.sql", Map.of("run", CANDIDATE));
        assertEquals(List.of("2", "4"), t.rows().stream().map(r -> r.get(t.column("concurrency"))).toList());
        for (List<String> r : t.rows()) {
            var round1 = candidateReport.configs().stream().filter(c -> c.round() == 1
                    && String.valueOf(c.concurrency()).equals(r.get(t.column("concurrency")))).findFirst().orElseThrow();
            assertEquals(String.valueOf(round1.summary().requests()), r.get(t.column("requests_round1")),
                    "every request sent, failed ones too");
            assertEquals(String.valueOf(round1.summary().successes()), r.get(t.column("successes_round1")));
            assertEquals(round1.summary().ttft().p50(), Double.parseDouble(r.get(t.column("ttft_p50_round1_ms"))), 1e-6,
                    "the producer's report and the query read the same median");
            double cold = Double.parseDouble(r.get(t.column("hit_rate_round1")));
            double warm = Double.parseDouble(r.get(t.column("hit_rate_round2")));
            assertTrue(warm > 0.5 && warm > cold, "concurrency " + r.get(0) + ": round 1 " + cold + ", round 2 " + warm);
            assertTrue(Double.parseDouble(r.get(t.column("output_tokens_per_s_round2"))) > 0);
        }
    }

    @Test
    void serverHitRatePerRoundIsWhatTheProducerScraped() throws Exception {
        Table t = Services.awaitCount("SELECT count() FROM " + db + ".server_metrics FINAL WHERE run_id = '" + CANDIDATE
                + "' AND phase != 'periodic'", 8, 60_000) == 8 ? query("server_hit_rate_by_round.sql", Map.of("run", CANDIDATE)) : null;
        assertTrue(t != null, "two samples per (concurrency, round) stored");
        int concurrency = t.column("concurrency"), round = t.column("round");
        assertEquals(List.of("2\t1", "2\t2", "4\t1", "4\t2"),
                t.rows().stream().map(r -> r.get(concurrency) + "\t" + r.get(round)).toList());
        for (var c : candidateReport.configs()) {
            List<String> row = t.rows().stream().filter(r -> r.get(concurrency).equals(String.valueOf(c.concurrency()))
                    && r.get(round).equals(String.valueOf(c.round()))).findFirst().orElseThrow();
            assertEquals(c.serverHitRate(), Double.parseDouble(row.get(t.column("server_hit_rate"))), 1e-9,
                    "c=" + c.concurrency() + " r=" + c.round());
        }
        double warm = Double.parseDouble(t.rows().get(1).get(t.column("server_hit_rate")));
        assertEquals(Set.of("synthetic"), t.rows().stream().map(r -> r.get(t.column("scenario"))).collect(
                java.util.stream.Collectors.toSet()), "the run's one scenario, so one row per (concurrency, round)");
        assertTrue(warm > 0.5, "round 2 at concurrency 2 is warm by the server's own count: " + warm);
    }

    @Test
    void serverHitRatePerRoundKeepsScenariosApartAndReadsThroughARestart() throws Exception {
        String run = Services.unique("restart");
        String[][] samples = {
            // scenario, phase, second, queried, hits: "a" restarts between its two periodic samples.
            {"a", "round_start", "0", "50000", "40000"}, {"a", "periodic", "1", "60000", "45000"},
            {"a", "periodic", "2", "1000", "500"}, {"a", "round_end", "3", "2000", "1500"},
            {"b", "round_start", "0", "0", "0"}, {"b", "round_end", "3", "1000", "100"},
            // "c" restarts too, but only its hits show it: queries are back above where they were.
            {"c", "round_start", "0", "1000", "900"}, {"c", "periodic", "1", "1050", "800"},
            {"c", "round_end", "2", "1100", "850"},
            // "d" has a sample without counters, which carries nothing.
            {"d", "round_start", "0", "100", "10"}, {"d", "periodic", "1", "NULL", "NULL"},
            {"d", "round_end", "2", "200", "30"}};
        for (String[] x : samples) {
            Services.sql("INSERT INTO " + db + ".server_metrics (run_id, scenario, round, concurrency, endpoint, model, "
                    + "phase, wall_time, prefix_cache_queries, prefix_cache_hits) VALUES ('" + run + "', '" + x[0]
                    + "', 1, 0, 'e', 'm', '" + x[1] + "', toDateTime64('2026-01-01 00:00:00', 6) + " + x[2] + ", " + x[3]
                    + ", " + x[4] + ")");
        }
        Table t = query("server_hit_rate_by_round.sql", Map.of("run", run));
        // a: 10,000 before the restart, then 1,000 counted from 0, then 1,000 more.
        // c: both counters count from 0 after the restart, as the aggregator's windows do.
        assertEquals(List.of("a\t12000\t6500", "b\t1000\t100", "c\t1100\t850", "d\t100\t20"), t.rows().stream().map(r -> r.get(t.column("scenario"))
                + "\t" + r.get(t.column("queried_tokens")) + "\t" + r.get(t.column("hit_tokens"))).toList());
    }

    /**
     * The aggregator's windows carry the growth of the server's counters between samples (round
     * start, every 100 ms, round end): per round they add up to exactly what the producer
     * scraped around it, and so do the run totals.
     */
    @Test
    void windowsCarryTheServersOwnHitRateAddingUpToEachRound() throws Exception {
        assertTrue(Services.count("SELECT count() FROM " + db + ".server_metrics FINAL WHERE run_id = '" + CANDIDATE
                + "' AND phase = 'periodic'") > 0, "samples taken during the rounds");
        String perRound = "SELECT concurrency, round, sum(server_queried_tokens), sum(server_hit_tokens), "
                + "countIf(server_queried_tokens IS NOT NULL) FROM " + db + ".%s FINAL WHERE run_id = '" + CANDIDATE
                + "' GROUP BY concurrency, round ORDER BY concurrency, round";
        // The round-end sample is the last record of a round, so its window may still be on its way.
        long deadline = System.currentTimeMillis() + 60_000;
        while (!allRoundsMatch(String.format(perRound, "window_aggregates"), false)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertTrue(allRoundsMatch(String.format(perRound, "window_aggregates"), true));
        assertTrue(allRoundsMatch(String.format(perRound, "run_totals"), true));
    }

    private boolean allRoundsMatch(String sql, boolean assertIt) {
        List<String> rows = Services.sql(sql).lines().toList();
        if (rows.size() != candidateReport.configs().size()) {
            if (assertIt) assertEquals(candidateReport.configs().size(), rows.size(), sql);
            return false;
        }
        for (String line : rows) {
            String[] r = line.split("\t");
            var c = candidateReport.configs().stream().filter(x -> String.valueOf(x.concurrency()).equals(r[0])
                    && String.valueOf(x.round()).equals(r[1])).findFirst().orElseThrow();
            double queried = Double.parseDouble(r[2]);
            double rate = Double.parseDouble(r[3]) / queried;
            boolean match = queried > 0 && Math.abs(rate - c.serverHitRate()) < 1e-9;
            if (assertIt) {
                assertTrue(queried > 0, "c=" + r[0] + " r=" + r[1] + " queried " + queried);
                assertEquals(c.serverHitRate(), rate, 1e-9, "c=" + r[0] + " r=" + r[1] + ": " + sql);
            } else if (!match) {
                return false;
            }
        }
        return true;
    }

    @Test
    void slowestRequestsCarryTheirWholeTokenTimeline() throws Exception {
        Table t = query("slowest_requests.sql", Map.of("run", CANDIDATE, "limit", "5"));
        assertEquals(5, t.rows().size());
        double previous = Double.MAX_VALUE;
        for (List<String> r : t.rows()) {
            double e2e = Double.parseDouble(r.get(t.column("e2e_ms")));
            assertTrue(e2e <= previous, "ordered slowest first");
            previous = e2e;
            String id = r.get(t.column("request_id"));
            String arrivals = r.get(t.column("arrivals_ms"));
            long chunks = Services.count("SELECT chunks FROM " + db + ".requests FINAL WHERE request_id = '" + id + "'");
            List<Double> times = arrivals.equals("[]") ? List.of() : Arrays.stream(
                    arrivals.substring(1, arrivals.length() - 1).split(",")).map(Double::parseDouble).toList();
            assertEquals(chunks, times.size(), id);
            for (int i = 1; i < times.size(); i++) assertTrue(times.get(i) >= times.get(i - 1), id + " in chunk order");
            if (!times.isEmpty()) {
                assertEquals(Double.parseDouble(r.get(t.column("ttft_ms"))), times.get(0), 1e-3, id + ": first chunk is TTFT");
            }
        }
    }

    @Test
    void hitRateOverTimeAddsUpToTheWindows() throws Exception {
        Table t = query("hit_rate_over_time.sql", Map.of("from", "2000-01-01 00:00:00", "to", "2100-01-01 00:00:00",
                "step_s", "3600"));
        long requests = t.rows().stream().mapToLong(r -> Long.parseLong(r.get(t.column("requests_total")))).sum();
        assertEquals(2L * PER_RUN, requests);
        for (List<String> r : t.rows()) {
            double rate = Double.parseDouble(r.get(t.column("hit_rate")));
            assertTrue(rate > 0 && rate < 1, "two rounds, one warm: " + rate);
            double server = Double.parseDouble(r.get(t.column("server_hit_rate")));
            assertTrue(server > 0 && server < 1, "the server's own count, two rounds, one warm: " + server);
        }
    }

    // ---- grafana/dashboards ----

    @TestFactory
    List<DynamicTest> everyPanelReturnsWhatItsVisualisationNeeds() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                seen.add(dashboard.path("uid").asText());
                Map<String, List<String>> vars = variables(dashboard);
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String name = file.getFileName() + " / " + panel.path("title").asText();
                        tests.add(DynamicTest.dynamicTest(name, () -> checkPanel(panel, target, vars)));
                    }
                }
            }
        }
        assertEquals(Set.of("tokenscope-live-run", "tokenscope-run-comparison", "tokenscope-token-timeline"), seen);
        assertTrue(tests.size() >= 15, "panels found: " + tests.size());
        return tests;
    }

    /**
     * A panel's link to the token timeline: it must name that dashboard's variables, take every
     * value from its own row, and set a time range that holds every chunk of the request (the
     * timeline's time series plot against the range, so a request outside it shows nothing).
     */
    @Test
    void requestLinksOpenTheTimelineOverTheWholeRequest() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode timeline = json.readTree(DASHBOARDS.resolve("token-timeline.json").toFile());
        Set<String> timelineVars = new TreeSet<>();
        timeline.path("templating").path("list").forEach(v -> timelineVars.add(v.path("name").asText()));
        Set<String> linked = new TreeSet<>();
        for (String file : List.of("live-run.json", "token-timeline.json")) {
            JsonNode dashboard = json.readTree(DASHBOARDS.resolve(file).toFile());
            Map<String, List<String>> vars = variables(dashboard);
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
                    for (JsonNode property : override.path("properties")) {
                        if (!property.path("id").asText().equals("links")) continue;
                        String field = override.path("matcher").path("options").asText();
                        for (JsonNode link : property.path("value")) {
                            String url = link.path("url").asText();
                            String sql = PanelSql.expand(panel.path("targets").get(0).path("rawSql").asText(), vars, RANGE);
                            Table t = Table.parse(Services.sql(sql + "\nFORMAT TSVWithNamesAndTypes"));
                            assertFalse(t.rows().isEmpty(), "no rows: " + sql);
                            int withChunks = 0;
                            for (List<String> row : t.rows()) {
                                if (checkTimelineLink(url, field, t, row, timelineVars)) withChunks++;
                            }
                            assertTrue(withChunks > 0, "no linked request with chunks in " + file);
                            linked.add(file + " / " + panel.path("title").asText());
                        }
                    }
                }
            }
        }
        assertEquals(Set.of("live-run.json / Slowest requests (open one in the token timeline)",
                "token-timeline.json / The request"), linked);
    }

    /** Checks one row's link; true when its request has chunks, so the range was checked against them. */
    private static boolean checkTimelineLink(String url, String field, Table t, List<String> row,
                                             Set<String> timelineVars) {
        String prefix = "/d/tokenscope-token-timeline?";
        assertTrue(url.startsWith(prefix), url);
        Map<String, String> params = new HashMap<>();
        for (String pair : url.substring(prefix.length()).split("&")) {
            String name = pair.substring(0, pair.indexOf('='));
            String template = pair.substring(pair.indexOf('=') + 1);
            String value;
            if (template.equals("${__value.raw}")) {
                value = row.get(t.column(field));
            } else {
                assertTrue(template.startsWith("${__data.fields.") && template.endsWith("}"), pair);
                value = row.get(t.column(template.substring("${__data.fields.".length(), template.length() - 1)));
            }
            params.put(name, value);
            if (name.startsWith("var-")) {
                assertTrue(timelineVars.contains(name.substring(4)), "the timeline has no variable " + name);
            }
        }
        assertEquals(Set.of("var-run", "var-request", "from", "to"), params.keySet(), url);
        String request = " WHERE run_id = '" + params.get("var-run") + "' AND request_id = '"
                + params.get("var-request") + "'";
        assertEquals(1, Services.count("SELECT count() FROM " + db + ".requests FINAL" + request),
                "the link names a request of its run: " + params);
        String where = " FROM " + db + ".token_events FINAL" + request;
        long chunks = Services.count("SELECT count()" + where);
        assertEquals(Services.count("SELECT chunks FROM " + db + ".requests FINAL" + request), chunks, params.toString());
        long span = Long.parseLong(params.get("to")) - Long.parseLong(params.get("from"));
        double e2eMs = Double.parseDouble(Services.sql("SELECT e2e_ms FROM " + db + ".requests FINAL" + request));
        // The panels pad the request's own span by a second each side.
        assertTrue(span <= e2eMs + 2_000 + 5, "the range fits the request, not the run: " + span + " ms for " + params);
        if (chunks == 0) {
            return false;
        }
        long first = Services.count("SELECT toUnixTimestamp64Milli(min(wall_time))" + where);
        long last = Services.count("SELECT toUnixTimestamp64Milli(max(wall_time))" + where);
        assertTrue(Long.parseLong(params.get("from")) <= first, "from after the first chunk: " + params);
        assertTrue(Long.parseLong(params.get("to")) >= last, "to before the last chunk: " + params);
        return true;
    }

    private static final PanelSql.Range RANGE =
            new PanelSql.Range(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofMinutes(30)),
                    Duration.ofSeconds(10));

    /**
     * The values each dashboard variable takes: the database and runs under test; any other
     * variable gets what its own query lists (Grafana's "All"), or the first value when it is
     * single-valued. Running the variable queries tests them too.
     */
    private static Map<String, List<String>> variables(JsonNode dashboard) {
        Map<String, List<String>> vars = new HashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            List<String> value = switch (name) {
                case "db" -> List.of(db);
                case "run" -> v.path("multi").asBoolean() ? List.of(BASELINE, CANDIDATE) : List.of(CANDIDATE);
                case "baseline" -> List.of(BASELINE);
                case "candidate" -> List.of(CANDIDATE);
                default -> {
                    String sql = PanelSql.expand(v.path("query").asText(), vars, RANGE);
                    List<String> listed = Services.sql(sql).lines().filter(l -> !l.isEmpty()).toList();
                    assertFalse(listed.isEmpty(), "variable $" + name + " lists nothing: " + sql);
                    yield v.path("multi").asBoolean() ? listed : List.of(listed.get(0));
                }
            };
            if (v.path("type").asText().equals("query") && (name.equals("run") || name.equals("baseline")
                    || name.equals("candidate"))) {
                String sql = PanelSql.expand(v.path("query").asText(), vars, RANGE);
                List<String> listed = Services.sql(sql).lines().toList();
                assertTrue(listed.containsAll(value), "variable $" + name + " does not list the runs: " + listed);
            }
            vars.put(name, value);
        }
        return vars;
    }

    private static void checkPanel(JsonNode panel, JsonNode target, Map<String, List<String>> vars) {
        String type = panel.path("type").asText();
        String sql = PanelSql.expand(target.path("rawSql").asText(), vars, RANGE);
        Table t = Table.parse(Services.sql(sql + "\nFORMAT TSVWithNamesAndTypes"));
        assertFalse(t.rows().isEmpty(), "no rows: " + sql);
        switch (type) {
            case "timeseries" -> {
                assertEquals("timeseries", target.path("queryType").asText());
                assertEquals("time", t.names().get(0), "a time series' first column is time: " + sql);
                assertTrue(t.types().get(0).contains("DateTime"), "time is " + t.types().get(0));
                assertTrue(t.numericColumns().size() >= 1, "no value column: " + t.names());
            }
            case "stat" -> {
                assertEquals(1, t.rows().size(), "a stat panel shows one row");
                assertEquals(t.names().size(), t.numericColumns().size(), "stat values are numbers: " + t.types());
            }
            case "barchart" -> {
                assertTrue(t.types().get(0).contains("String"), "a bar chart's first column names the bars: " + t.types());
                assertTrue(t.numericColumns().size() >= 1, "no bar values: " + t.names());
            }
            case "table" -> assertTrue(t.names().size() >= 2);
            default -> throw new AssertionError("panel type " + type + " has no check here");
        }
        if (!type.equals("table")) {
            for (int c : t.numericColumns()) {
                int column = c;
                assertTrue(t.rows().stream().anyMatch(r -> isNumber(r.get(column))),
                        "column " + t.names().get(c) + " holds no number: " + sql);
            }
        }
    }

    private static boolean isNumber(String s) {
        try {
            double d = Double.parseDouble(s);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A TSVWithNamesAndTypes answer. */
    record Table(List<String> names, List<String> types, List<List<String>> rows) {
        static Table parse(String tsv) {
            List<String> lines = tsv.lines().toList();
            if (lines.size() < 2) throw new AssertionError("not a TSVWithNamesAndTypes answer: " + tsv);
            List<List<String>> rows = lines.subList(2, lines.size()).stream().map(l -> List.of(l.split("\t", -1))).toList();
            return new Table(List.of(lines.get(0).split("\t")), List.of(lines.get(1).split("\t")), rows);
        }

        int column(String name) {
            int i = names.indexOf(name);
            if (i < 0) throw new AssertionError("no column " + name + " in " + names);
            return i;
        }

        List<Integer> numericColumns() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).matches("(Nullable\\()?(U?Int\\d+|Float\\d+|Decimal.*)\\)?")) out.add(i);
            }
            return out;
        }
    }
}
