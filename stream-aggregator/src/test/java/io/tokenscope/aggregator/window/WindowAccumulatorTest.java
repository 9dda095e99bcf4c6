package io.tokenscope.aggregator.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAccumulatorTest {
    private static final AggregatorConfig.Slo SLO = new AggregatorConfig.Slo(60, 20, 0);

    private static RequestMetrics metrics(String status, Double ttft, Double tpot, List<Integer> gaps) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new RequestMetrics("run", "r", "sc", 1, 4, "e", "m", status, 200, null, t, t, ttft, 10.0, tpot, 300.0,
                gaps.size() + 1, 32, 100, 25, gaps);
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
        assertEquals(10.0, w.getItlP50Ms(), 0.01);
        assertEquals(30.0, w.getItlP99Ms(), 0.03);
        assertEquals(3, w.getVersion());
    }

    @Test
    void emptyHistogramsGiveNullPercentiles() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.add(metrics("error", null, null, List.of()), SLO);
        WindowAggregate w = acc.toAggregate(0, 1000);
        assertNull(w.getTtftP50Ms());
        assertNull(w.getItlP99Ms());
    }

    @Test
    void accumulatorSurvivesItsSerdeWithHistograms() {
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
}
