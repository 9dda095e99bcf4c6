package io.tokenscope.producer.drive;

import java.util.SplittableRandom;

/**
 * Open-loop arrival schedules: offsets from the start at which each request is due. Gaps are
 * gamma-distributed with mean 1/rate and shape = burstiness, as vLLM's benchmark does: shape 1
 * is a Poisson process, below 1 burstier, above 1 steadier; "constant" spaces them evenly.
 */
public final class Arrivals {
    private Arrivals() {}

    public static long[] offsetsNs(int count, double ratePerS, double burstiness, boolean constant, long seed) {
        if (!(ratePerS > 0) || !(burstiness > 0)) {
            throw new IllegalArgumentException("request rate and burstiness must be > 0");
        }
        long[] offsets = new long[count];
        SplittableRandom random = new SplittableRandom(seed);
        double t = 0;
        double mean = 1.0 / ratePerS;
        for (int i = 0; i < count; i++) {
            offsets[i] = (long) (t * 1e9);
            t += constant ? mean : gamma(random, burstiness) * mean / burstiness;
        }
        return offsets;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 via the boost u^(1/shape). */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble(), u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
