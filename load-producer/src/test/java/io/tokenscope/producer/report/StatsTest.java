package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected figures are numpy's: np.percentile (linear), np.mean, np.std (population). */
class StatsTest {
    @Test
    void percentilesInterpolateAsNumpyDoes() {
        Stats two = Stats.ofMillis(new double[] {20, 10});
        assertEquals(15.0, two.p50(), 1e-12);
        assertEquals(19.0, two.p90(), 1e-12);
        assertEquals(19.9, two.p99(), 1e-12);

        Stats four = Stats.ofMillis(new double[] {40, 10, 30, 20});
        assertEquals(25.0, four.p50(), 1e-12);
        assertEquals(37.0, four.p90(), 1e-12);
        assertEquals(39.7, four.p99(), 1e-12);
        assertEquals(25.0, four.mean(), 1e-12);
        assertEquals(Math.sqrt(125), four.stddev(), 1e-12);
        assertEquals(10.0, four.min());
        assertEquals(40.0, four.max());
    }

    @Test
    void oneSampleIsEveryPercentileAndNoneIsNoFigure() {
        Stats one = Stats.ofMillis(new double[] {7});
        assertEquals(7.0, one.p50());
        assertEquals(7.0, one.p99());
        assertEquals(0.0, one.stddev());
        assertEquals(0, Stats.ofMillis(new double[0]).count());
        assertEquals(Double.NaN, Stats.ofMillis(new double[0]).p50());
    }
}
