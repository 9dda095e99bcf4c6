package io.tokenscope.sim.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which requests get which fault: a request's own {@code x-sim-fault} header wins; then every
 * N-th request gets a scheduled fault (--fault-every N=SPEC); then each probabilistic fault
 * (--fault-rate SPEC=P) is drawn with a generator seeded from --seed and the request's number,
 * so a run with the same arrival order gets the same faults.
 */
public final class FaultPlan {
    public static final String HEADER = "x-sim-fault";

    private record Every(int n, Fault fault) {}

    private record Rate(double probability, Fault fault) {}

    private final List<Every> every = new ArrayList<>();
    private final List<Rate> rates = new ArrayList<>();
    private final long seed;

    public FaultPlan(long seed) {
        this.seed = seed;
    }

    /** {@code N=SPEC}, e.g. {@code 10=reset@3}. */
    public void addEvery(String flagValue) {
        String[] parts = flagValue.split("=", 2);
        try {
            int n = Integer.parseInt(parts[0].strip());
            if (n < 1 || parts.length < 2) throw new NumberFormatException();
            every.add(new Every(n, Fault.parse(parts[1])));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fault-every must be N=SPEC with N >= 1, e.g. 10=reset@3; got '"
                    + flagValue + "'");
        }
    }

    /** {@code SPEC=P}, e.g. {@code http_503=0.05}. */
    public void addRate(String flagValue) {
        int eq = flagValue.lastIndexOf('=');
        try {
            double p = Double.parseDouble(flagValue.substring(eq + 1).strip());
            if (eq < 1 || !(p >= 0 && p <= 1)) throw new NumberFormatException();
            rates.add(new Rate(p, Fault.parse(flagValue.substring(0, eq))));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--fault-rate must be SPEC=P with 0 <= P <= 1, e.g. http_503=0.05; got '"
                    + flagValue + "'");
        }
    }

    public boolean isEmpty() {
        return every.isEmpty() && rates.isEmpty();
    }

    /** The fault for request number n (1-based), or null. A malformed header is the caller's 400. */
    public Fault choose(long n, String header) {
        if (header != null && !header.isBlank()) {
            return Fault.parse(header);
        }
        for (Every e : every) {
            if (n % e.n() == 0) {
                return e.fault();
            }
        }
        if (!rates.isEmpty()) {
            SplittableRandom random = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L));
            for (Rate r : rates) {
                if (random.nextDouble() < r.probability()) {
                    return r.fault();
                }
            }
        }
        return null;
    }
}
