package io.tokenscope.aggregator.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.aggregator.Labels;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import io.tokenscope.aggregator.Sketches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.junit.jupiter.api.Test;

class WindowAccumulatorTest {
    private static final AggregatorConfig.Slo SLO = new AggregatorConfig.Slo(60, 20, 0);

    private static WindowInput metrics(String status, Double ttft, Double tpot, List<Integer> gaps) {
        return metrics(status, ttft, tpot, gaps, 0.0);
    }

    private static WindowInput metrics(String status, Double ttft, Double tpot, List<Integer> gaps, double lagMs) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        KllFloatsSketch sketch = Sketches.empty();
        gaps.forEach(sketch::update);
        return new WindowInput.Request(new RequestMetrics("run", "r", "sc", 1, 4, "e", "m", status, 200, null, t, t,
                ttft, 10.0, tpot, 300.0, gaps.size() + 1, 32, 100, 25, gaps.isEmpty() ? null : Sketches.toBytes(sketch), lagMs));
    }

    @Test
    void goodputCountsTtftFromTheIntendedStartOfARequestHeldBack() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(metrics("ok", 40.0, 10.0, List.of(10_000), 15.0), SLO);
        acc.add(metrics("ok", 40.0, 10.0, List.of(10_000), 25.0), SLO);
        WindowAggregate w = acc.toAggregate(0, 10_000);
        assertEquals(1, w.getGoodRequests(), "40 + 25 ms of lag misses the 60 ms SLO; 40 + 15 does not");
        assertEquals(40.0, w.getTtftP50Ms(), 1e-6, "the TTFT percentiles stay the server's, from the send");
        WindowAccumulator e2e = new WindowAccumulator();
        AggregatorConfig.Slo e2eOnly = new AggregatorConfig.Slo(0, 0, 320);
        e2e.add(metrics("ok", 40.0, 10.0, List.of(10_000), 15.0), e2eOnly);
        e2e.add(metrics("ok", 40.0, 10.0, List.of(10_000), 25.0), e2eOnly);
        assertEquals(1, e2e.toAggregate(0, 10_000).getGoodRequests(), "E2E 300 + 25 ms of lag passes 320; + 15 does not");
    }

    @Test
    void countsGoodputTokensAndPercentiles() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(metrics("ok", 50.0, 10.0, List.of(10_000, 10_000, 30_000)), SLO);
        acc.add(metrics("ok", 80.0, 10.0, List.of(10_000)), SLO);
        acc.add(metrics("error", null, null, List.of()), SLO);
        WindowAggregate w = acc.toAggregate(0, 10_000);
        assertEquals(3, w.getRequests());
        assertEquals(2, w.getSuccesses());
        assertEquals(1, w.getGoodRequests(), "the 80 ms TTFT misses the 60 ms SLO");
        assertEquals(64, w.getOutputTokens());
        assertEquals(6.4, w.getOutputTokensPerS(), 1e-9);
        assertEquals(0.1, w.getGoodputRps(), 1e-9);
        assertEquals(0.25, w.getCacheHitRate(), 1e-9);
        assertEquals(10.0, w.getItlP50Ms(), 1e-9, "exact below 200 values");
        assertEquals(30.0, w.getItlP99Ms(), 1e-9);
        assertEquals(50.0, w.getTtftP50Ms(), 1e-6);
        assertEquals(3, w.getVersion());
    }

    /**
     * Many windows of skewed gaps, merged from their serialized sketches as a reader of stored
     * windows would: each merged quantile's true rank among all gaps is within the rank error.
     */
    @Test
    void storedWindowSketchesMergeIntoAnyRangeWithinTheRankError() {
        Random random = new Random(7);
        List<Integer> all = new ArrayList<>();
        List<byte[]> stored = new ArrayList<>();
        for (int window = 0; window < 30; window++) {
            WindowAccumulator acc = new WindowAccumulator();
            for (int request = 0; request < 20; request++) {
                List<Integer> gaps = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    gaps.add((int) (8_000 * Math.exp(random.nextGaussian() * 0.6)) + (window % 5) * 1_000);
                }
                all.addAll(gaps);
                acc.add(metrics("ok", 50.0, 10.0, gaps), SLO);
            }
            stored.add(Sketches.bytes(acc.toAggregate(0, 10_000).getItlSketch()));
        }
        KllFloatsSketch merged = Sketches.merge(stored);
        assertEquals(60_000, merged.getN());
        int[] sorted = all.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            float estimate = merged.getQuantile(q);
            double rankBelow = (double) Arrays.stream(sorted).filter(v -> v < estimate).count() / sorted.length;
            double rankAtOrBelow = (double) Arrays.stream(sorted).filter(v -> v <= estimate).count() / sorted.length;
            assertTrue(rankBelow - Sketches.RANK_ERROR <= q && q <= rankAtOrBelow + Sketches.RANK_ERROR,
                    "q " + q + ": estimate " + estimate + " has rank " + rankBelow + ".." + rankAtOrBelow);
        }
        assertEquals(0.0133, Sketches.RANK_ERROR, 0.0001);
    }

    @Test
    void emptySketchesGiveNullPercentiles() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(metrics("error", null, null, List.of()), SLO);
        WindowAggregate w = acc.toAggregate(0, 1000);
        assertNull(w.getTtftP50Ms());
        assertNull(w.getItlP99Ms());
    }

    @Test
    void accumulatorSurvivesItsSerdeWithSketches() {
        WindowAccumulator acc = new WindowAccumulator();
        for (int i = 0; i < 100; i++) {
            acc.add(metrics("ok", 40.0 + i, 5.0, List.of(1000 * (i + 1))), SLO);
        }
        byte[] bytes = WindowAccumulator.serde().serializer().serialize("t", acc);
        WindowAccumulator back = WindowAccumulator.serde().deserializer().deserialize("t", bytes);
        assertEquals(acc.toAggregate(0, 10_000), back.toAggregate(0, 10_000));
        back.add(metrics("ok", 41.0, 5.0, List.of(5000)), SLO);
        assertEquals(101, back.toAggregate(0, 10_000).getRequests());
    }

    @Test
    void incompleteRequestsAndServerCountersSurviveTheSerde() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(metrics("incomplete", 50.0, null, List.of()), SLO);
        Labels labels = new Labels("run", "sc", 1, 4, "e", "m");
        acc.add(new WindowInput.ServerCache(labels, 400, 100), SLO);
        acc.add(new WindowInput.ServerCache(labels, 100, 50), SLO);
        WindowAccumulator back = WindowAccumulator.serde().deserializer().deserialize("t",
                WindowAccumulator.serde().serializer().serialize("t", acc));
        WindowAggregate w = back.toAggregate(0, 10_000);
        assertEquals(1, w.getRequests());
        assertEquals(0, w.getSuccesses());
        assertEquals(1, w.getIncompleteRequests());
        assertEquals(500, w.getServerQueriedTokens(), 1e-9);
        assertEquals(0.3, w.getServerCacheHitRate(), 1e-9);
        assertEquals(3, w.getVersion());
    }

    /** Format 2 (before incomplete and server counts) as the previous build wrote it. */
    @Test
    void stateWrittenByThePreviousBuildIsStillRead() throws Exception {
        WindowAggregate w = WindowAccumulator.fromBytes(olderState(2, 7, 5, 4, 3, 90, 500, 100)).toAggregate(0, 10_000);
        assertEquals(7, w.getVersion());
        assertEquals(5, w.getRequests());
        assertEquals(0.2, w.getCacheHitRate(), 1e-9);
        assertEquals(0, w.getIncompleteRequests());
        assertNull(w.getServerQueriedTokens());
    }

    @Test
    void aServerThatReportsNoCachedTokensHasAnUnknownHitRateNotZero() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(new WindowInput.Request(new RequestMetrics("run", "r", "sc", 1, 4, "e", "m", "ok", 200, null, t, t,
                50.0, 10.0, 10.0, 300.0, 4, 32, 100, null, null, 0.0)), SLO);
        WindowAccumulator back = WindowAccumulator.fromBytes(acc.toBytes());
        WindowAggregate w = back.toAggregate(0, 10_000);
        assertEquals(100, w.getPromptTokens());
        assertNull(w.getCacheHitRate());
        back.add(metrics("ok", 50.0, 10.0, List.of()), SLO);
        assertEquals(0.125, back.toAggregate(0, 10_000).getCacheHitRate(), 1e-9, "25 cached of 200 prompt tokens");
    }

    /** Format 3 (before requests reporting cached tokens were counted): every success counts as reporting. */
    @Test
    void formatThreeIsStillRead() throws Exception {
        WindowAggregate w = WindowAccumulator.fromBytes(olderState(3, 7, 5, 4, 3, 90, 500, 100, 1)).toAggregate(0, 10_000);
        assertEquals(0.2, w.getCacheHitRate(), 1e-9);
        assertEquals(1, w.getIncompleteRequests());
    }

    /**
     * Window state as an older build wrote it: the format byte, labels, the counters given, then
     * (format 3 only) no server counts, and two empty sketches.
     */
    private static byte[] olderState(int format, long... counters) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(format);
            new Labels("run", "sc", 1, 4, "e", "m").write(out);
            for (long v : counters) {
                out.writeLong(v);
            }
            if (format == 3) {
                out.writeDouble(Double.NaN);
                out.writeDouble(Double.NaN);
            }
            for (int i = 0; i < 2; i++) {
                byte[] empty = Sketches.empty().toByteArray();
                out.writeInt(empty.length);
                out.write(empty);
            }
        }
        return bytes.toByteArray();
    }
}
