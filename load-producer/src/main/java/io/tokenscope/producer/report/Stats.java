package io.tokenscope.producer.report;

import java.util.Arrays;

/** Distribution of one metric in milliseconds; percentiles are exact (nearest-rank on sorted samples). */
public record Stats(int count, double mean, double p50, double p90, double p99, double min, double max,
                    double stddev) {

    public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    public static Stats ofMillis(double[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) sum += v;
        double mean = sum / sorted.length;
        double sq = 0;
        for (double v : sorted) sq += (v - mean) * (v - mean);
        return new Stats(sorted.length, mean, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[0],
                sorted[sorted.length - 1], Math.sqrt(sq / sorted.length));
    }

    private static double rank(double[] sorted, double pct) {
        int idx = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
