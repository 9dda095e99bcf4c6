package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.aggregator.Sketches;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The backbone's acceptance run: simulator fixed at TTFT 50 ms, ITL 10 ms, 32 tokens; 20
 * requests at concurrency 4; everything must land in ClickHouse with the right timings.
 */
@Order(1)
class PipelineEndToEndTest {
    private static Pipeline pipeline;
    private static LoadRun.Report report;
    private static String db;
    private static java.nio.file.Path truth;
    private static final String RUN = Services.unique("run");

    @BeforeAll
    static void runWorkload() throws Exception {
        // The simulator's one I/O thread and the producer's event loop run as SCHED_FIFO: on two
        // cores shared with Kafka, ClickHouse, the aggregator and JIT compilers, an ordinary
        // thread waited up to 7 ms to be woken (measured with the simulator's ground-truth log:
        // the delay was between the client's write and the server's read), which alone breaks
        // the 5 ms bound. One simulator I/O thread, because three real-time threads on two cores
        // would queue behind each other.
        truth = java.nio.file.Files.createTempFile("ground-truth", ".csv");
        pipeline = new Pipeline("--engine", "fixed", "--ttft-ms", "50", "--itl-ms", "10", "--output-tokens", "32",
                "--spin-us", "500", "--event-loops", "1", "--realtime-priority", "10", "--ground-truth", truth.toString());
        db = pipeline.database;
        // A first run warms the JIT of simulator, producer and aggregator, so the measured run
        // shows the pipeline's timing rather than class loading. It is stored before the
        // measured run starts, so the two do not compete for the machine's two cores.
        String warmup = Services.unique("warmup");
        pipeline.run(warmup, "--requests", "80", "--concurrency", "4", "--max-tokens", "32");
        Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '" + warmup
                + "'", 80, 60_000);
        report = pipeline.run(RUN, "--requests", "20", "--concurrency", "4", "--max-tokens", "32",
                "--warmup-requests", "20", "--realtime-priority", "10");
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void producerMeasuredEveryRequestAndEmittedEveryEvent() {
        assertEquals(20, report.summary().requests());
        assertEquals(20, report.summary().successes(), () -> "errors: " + report.summary().errors());
        int chunks = report.results().stream().mapToInt(RequestResult::chunks).sum();
        assertEquals(20 * 32, chunks);
        assertEquals(0, report.eventsFailed(), () -> "emit failures: " + report.lastEmitError());
        assertEquals(20 + 20 * 32 + 20 + 2, report.eventsSent(),
                "one start, 32 chunks and one finish per request, and the server's counters before and after the round");
    }

    @Test
    void clickhouseHoldsEveryRequestAndTokenWithTheSimulatedTimings() throws Exception {
        String where = " WHERE run_id = '" + RUN + "'";
        assertEquals(20, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL" + where, 20, 60_000));
        assertEquals(20 * 32, Services.awaitCount("SELECT count() FROM " + db + ".token_events FINAL" + where, 640, 60_000));
        assertEquals(20, Services.count("SELECT countIf(status = 'ok' AND output_tokens = 32 AND chunks = 32) FROM "
                + db + ".requests FINAL" + where));

        List<String> rows = Services.sql("SELECT request_id, ttft_ms, mean_itl_ms FROM " + db + ".requests FINAL" + where
                + " ORDER BY request_id FORMAT TSV").lines().toList();
        assertEquals(20, rows.size());
        List<Double> ttfts = rows.stream().map(r -> Double.parseDouble(r.split("\t")[1])).sorted().toList();
        System.out.println("stored TTFTs (ms), sorted: " + ttfts);
        Map<String, long[]> served = chunksSentBySimulator();
        List<Double> lagsMs = new ArrayList<>();
        List<Double> itlOffMs = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split("\t");
            double ttft = Double.parseDouble(f[1]);
            double itl = Double.parseDouble(f[2]);
            assertTrue(ttft >= 50, () -> f[0] + ": TTFT " + ttft + " ms is earlier than the server could send");
            // What the pipeline adds: from the simulator's write of the first chunk (its
            // ground-truth log, same CLOCK_MONOTONIC) to the producer's timestamp of it.
            RequestResult r = report.results().stream().filter(x -> x.requestId().equals(f[0])).findFirst().orElseThrow();
            long[] t = served.get(f[0]);
            assertTrue(t != null, f[0] + " is in the simulator's ground-truth log");
            double clientLagMs = (r.startMonoNs() + r.ttftNs() - t[1]) / 1e6;
            assertTrue(clientLagMs >= 0, () -> f[0] + ": the producer timestamped the first chunk " + clientLagMs
                    + " ms before the simulator wrote it");
            lagsMs.add(clientLagMs);
            // The simulator's own mean gap, not the nominal 10 ms: when this guest stalls it for a
            // moment, it sends late and then catches up with its schedule, and that is not the
            // pipeline's error.
            double servedItlMs = (t[2] - t[1]) / 1e6 / 31;
            itlOffMs.add(Math.abs(itl - servedItlMs));
        }
        // The same allowance as for the lag below: a stall of the machine touches the requests in flight.
        List<Double> sortedItlOff = itlOffMs.stream().sorted().toList();
        System.out.println("stored mean ITL minus the simulator's mean gap (|ms|), sorted: " + sortedItlOff);
        assertTrue(sortedItlOff.get(15) <= 1, "more than 4 of 20 requests have a stored mean ITL over 1 ms from the "
                + "simulator's: " + sortedItlOff);
        // A delay of the producer's own (buffering a chunk, blocking its event loop) shows in most
        // requests. A stall of this shared two-core guest (up to 24 ms even for a real-time
        // thread: docs/benchmarks.md, producer section) hits the requests in flight at that moment,
        // which is at most the concurrency, 4; so 16 of the 20 must be within 2 ms.
        List<Double> sortedLags = lagsMs.stream().sorted().toList();
        System.out.println("producer lag behind the simulator's first write (ms), sorted: " + sortedLags);
        assertTrue(sortedLags.get(sortedLags.size() / 2) <= 1, "median producer lag " + sortedLags.get(sortedLags.size() / 2)
                + " ms: " + sortedLags);
        assertTrue(sortedLags.get(15) <= 2, "more than 4 of 20 requests were timestamped over 2 ms after the "
                + "simulator's write: " + sortedLags);
        // Over the whole run, the machine too: most requests see the simulated 50 ms within 5 ms.
        assertTrue(ttfts.get(ttfts.size() / 2) <= 55, "median TTFT " + ttfts.get(ttfts.size() / 2) + " ms");
    }

    /**
     * client request id → {received_ns, first chunk's sent_ns, last (32nd) chunk's sent_ns}, from the
     * simulator's ground-truth log.
     */
    private static Map<String, long[]> chunksSentBySimulator() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        Map<String, long[]> sent = new java.util.HashMap<>();
        while (true) {
            sent.clear();
            for (String line : java.nio.file.Files.readAllLines(truth)) {
                String[] f = line.split(",", -1);
                if (f.length == 7 && !f[0].isEmpty() && (f[2].equals("0") || f[2].equals("31"))) {
                    long[] t = sent.computeIfAbsent(f[0], id -> new long[3]);
                    if (f[2].equals("0")) {
                        t[0] = Long.parseLong(f[4]);
                        t[1] = Long.parseLong(f[6]);
                    } else {
                        t[2] = Long.parseLong(f[6]);
                    }
                }
            }
            boolean all = report.results().stream().map(r -> sent.get(r.requestId()))
                    .allMatch(t -> t != null && t[1] != 0 && t[2] != 0);
            if (all || System.currentTimeMillis() > deadline) return sent;
            Thread.sleep(200);
        }
    }

    @Test
    void storedRequestMetricsAgreeWithWhatTheProducerMeasured() throws Exception {
        String where = " WHERE run_id = '" + RUN + "'";
        Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL" + where, 20, 60_000);
        for (RequestResult r : report.results()) {
            double stored = Double.parseDouble(Services.sql("SELECT ttft_ms FROM " + db + ".requests FINAL WHERE request_id = '"
                    + r.requestId() + "'"));
            assertEquals(r.ttftNs() / 1e6, stored, 0.001, r.requestId());
        }
    }

    /**
     * An open loop whose cap holds requests back: each request's schedule lag is stored beside
     * its TTFT, and the windows' goodput counts TTFT from the intended start, so the requests
     * that waited past the aggregator's 1 s TTFT bound are not good however fast the server was.
     */
    @Test
    void anOpenLoopsScheduleLagIsStoredAndCountsAgainstGoodput() throws Exception {
        String run = Services.unique("open");
        // 16 arrivals 10 ms apart, one in flight, each about 120 ms long: request k waits about 110k ms.
        LoadRun.Report open = pipeline.run(run, "--requests", "16", "--concurrency", "1", "--request-rate", "100",
                "--arrivals", "constant", "--max-tokens", "8", "--warmup-requests", "0");
        String where = " FROM " + db + ".requests FINAL WHERE run_id = '" + run + "'";
        assertEquals(16, Services.awaitCount("SELECT count()" + where, 16, 60_000));
        int expectedGood = 0;
        for (RequestResult r : open.results()) {
            assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
            double stored = Double.parseDouble(Services.sql("SELECT schedule_lag_ms" + where + " AND request_id = '"
                    + r.requestId() + "'"));
            assertEquals(r.scheduleLagNs() / 1e6, stored, 0.001, r.requestId());
            // The aggregator's default SLO: TTFT (from the intended start) <= 1 s, TPOT <= 100 ms.
            long gapSum = java.util.Arrays.stream(r.gapsNs()).sum();
            double tpotMs = gapSum / 1e6 / Math.max(1, r.effectiveOutputTokens() - 1);
            if ((r.ttftNs() + r.scheduleLagNs()) / 1e6 <= 1000 && tpotMs <= 100) expectedGood++;
        }
        assertTrue(Services.count("SELECT countIf(schedule_lag_ms > 1000)" + where) >= 3,
                "the last requests waited over a second");
        assertEquals(16, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                + run + "'", 16, 60_000));
        assertEquals(expectedGood, Services.count("SELECT sum(good_requests) FROM " + db
                + ".window_aggregates FINAL WHERE run_id = '" + run + "'"));
        assertTrue(expectedGood > 0 && expectedGood < 16, "the first requests are good, the last waited past the SLO: "
                + expectedGood);
    }

    @Test
    void producerSummaryEqualsWhatClickHouseHolds() throws Exception {
        String where = " FROM " + db + ".requests FINAL WHERE run_id = '" + RUN + "'";
        Services.awaitCount("SELECT count()" + where, 20, 60_000);
        var s = report.summary();
        assertEquals(s.requests(), Services.count("SELECT count()" + where));
        assertEquals(s.successes(), Services.count("SELECT countIf(status = 'ok')" + where));
        assertEquals(s.outputTokens(), Services.count("SELECT sum(output_tokens)" + where));
        assertEquals(s.promptTokens(), Services.count("SELECT sum(prompt_tokens)" + where));
        assertEquals(s.ttft().mean(), Double.parseDouble(Services.sql("SELECT avg(ttft_ms)" + where)), 1e-6);
        // The report interpolates as numpy does, which is quantileExactInclusive's rule.
        assertEquals(s.ttft().p50(), Double.parseDouble(Services.sql("SELECT quantileExactInclusive(0.5)(ttft_ms)"
                + where)), 1e-6);
        assertEquals(s.ttft().p99(), Double.parseDouble(Services.sql("SELECT quantileExactInclusive(0.99)(ttft_ms)"
                + where)), 1e-6);
        assertEquals(s.itl().count(), Services.count("SELECT count() FROM " + db + ".token_events FINAL WHERE run_id = '"
                + RUN + "' AND chunk_index > 0"));
    }

    @Test
    void windowAggregatesAddUpToTheRun() throws Exception {
        String query = "SELECT sum(requests) FROM " + db + ".window_aggregates FINAL WHERE run_id = '" + RUN + "'";
        assertEquals(20, Services.awaitCount(query, 20, 60_000));
        assertEquals(20, Services.count("SELECT sum(successes) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                + RUN + "'"));
        assertEquals(640, Services.count("SELECT sum(output_tokens) FROM " + db + ".window_aggregates FINAL WHERE run_id = '"
                + RUN + "'"));
        String p50 = Services.sql("SELECT max(itl_p50_ms) FROM " + db + ".window_aggregates FINAL WHERE run_id = '" + RUN + "'");
        assertEquals(10, Double.parseDouble(p50), 1.0, "window ITL p50");
    }

    /**
     * The windows' stored sketches, merged as a reader of any range would merge them, hold every
     * gap of the run, and their quantiles are those of the raw token events within the rank error.
     */
    @Test
    void storedWindowSketchesMergeIntoTheRunsGapDistribution() throws Exception {
        String windows = " FROM " + db + ".window_aggregates FINAL WHERE run_id = '" + RUN + "'";
        assertEquals(20, Services.awaitCount("SELECT sum(requests)" + windows, 20, 60_000));
        List<byte[]> stored = Services.sql("SELECT hex(base64Decode(itl_sketch))" + windows + " FORMAT TSV").lines()
                .map(HexFormat.of()::parseHex).toList();
        KllFloatsSketch merged = Sketches.merge(stored);
        assertEquals(20 * 31, merged.getN());

        List<String> rows = Services.sql("SELECT request_id, arrival_ns FROM " + db + ".token_events FINAL WHERE run_id = '"
                + RUN + "' ORDER BY request_id, chunk_index FORMAT TSV").lines().toList();
        List<Long> gapsUs = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] previous = rows.get(i - 1).split("\t");
            String[] row = rows.get(i).split("\t");
            if (row[0].equals(previous[0])) {
                gapsUs.add((Long.parseLong(row[1]) - Long.parseLong(previous[1])) / 1000);
            }
        }
        assertEquals(20 * 31, gapsUs.size());
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            float estimate = merged.getQuantile(q);
            double below = gapsUs.stream().filter(g -> g < estimate).count() / (double) gapsUs.size();
            double atOrBelow = gapsUs.stream().filter(g -> g <= estimate).count() / (double) gapsUs.size();
            assertTrue(below - Sketches.RANK_ERROR <= q && q <= atOrBelow + Sketches.RANK_ERROR,
                    "q " + q + ": merged estimate " + estimate + " us has true rank " + below + ".." + atOrBelow);
        }
    }

    @Test
    void runTotalsHoldTheWholeRunInOneRow() throws Exception {
        String from = " FROM " + db + ".run_totals FINAL WHERE run_id = '" + RUN + "'";
        assertEquals(20, Services.awaitCount("SELECT sum(requests)" + from, 20, 60_000));
        assertEquals(1, Services.count("SELECT count()" + from), "one configuration, one row");
        assertEquals(20, Services.count("SELECT successes" + from));
        assertEquals(640, Services.count("SELECT output_tokens" + from));
        // KLL is exact below 200 values: its median is one of the two middle TTFTs.
        double p50 = Double.parseDouble(Services.sql("SELECT ttft_p50_ms" + from));
        String requests = " FROM " + db + ".requests FINAL WHERE run_id = '" + RUN + "' AND status = 'ok'";
        double low = Double.parseDouble(Services.sql("SELECT quantileExactLow(0.5)(ttft_ms)" + requests));
        double high = Double.parseDouble(Services.sql("SELECT quantileExactHigh(0.5)(ttft_ms)" + requests));
        assertTrue(p50 >= low - 0.001 && p50 <= high + 0.001, "KLL median " + p50 + " outside " + low + ".." + high);
        double span = Double.parseDouble(Services.sql("SELECT dateDiff('millisecond', window_start, window_end)" + from));
        assertTrue(span > 20.0 / 4 * 360 * 0.9 && span < 60_000, "the run's span, first start to last end: " + span + " ms");
    }
}
