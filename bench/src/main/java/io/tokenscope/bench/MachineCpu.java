package io.tokenscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was between two readings of /proc/stat. Timing error on a shared
 * host is mostly queueing for a core, so a row's errors mean little without this figure next to
 * them: near 100% the simulator, the producer and the broker are waiting for each other.
 */
public final class MachineCpu {
    private MachineCpu() {}

    /** {busy, total} jiffies over all cores since boot; {0, 0} where /proc/stat is absent. */
    public static long[] read() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal; guest time is already in user.
            for (int i = 1; i <= 8 && i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The busy share of all cores between the readings, 0..1; NaN without /proc/stat. */
    public static double busyFraction(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
    }
}
