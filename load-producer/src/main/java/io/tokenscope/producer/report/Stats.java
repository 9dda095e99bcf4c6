package io.tokenscope.producer.report;

import java.util.Arrays;

/**
 * Distribution of one metric in milliseconds. Percentiles interpolate linearly between the two
 * nearest samples, as numpy.percentile's default does, so they read like vLLM's bench's; the
 * standard deviation is the population one, as numpy.std's.
 */
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
        return new Stats(sorted.length, mean, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted[0], sorted[sorted.length - 1], Math.sqrt(sq / sorted.length));
    }

    static double percentile(double[] sorted, double pct) {
        double position = pct / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        if (below >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[below] + (position - below) * (sorted[below + 1] - sorted[below]);
    }
}
