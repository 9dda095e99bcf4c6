package io.tokenscope.producer.drive;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits after a warm-up until a JVM has finished compiling what the warm-up made hot. Warm-up
 * requests alone do not ensure that: the compiler threads run at normal priority, and once a
 * real-time event loop keeps both cores busy they hardly run at all. On the reference machine,
 * methods queued for C2 during a 200-stream warm-up were compiled only after the 1,000-stream
 * round that followed had ended; the round ran in C1 code and, for the chunk handler, in the
 * interpreter. Waiting until the compiler has been idle for one window gets what was queued
 * compiled before measuring starts. It cannot finish what was never queued: methods compiled at
 * tier 2 while the C2 queue was long go on to C2 only after more calls, which is why the
 * producer bench warms a saturating row up several times.
 */
public final class JitQuiet {
    /** How the wait ended: quiet, or gave up after max with the compiler still busy. */
    public record Wait(boolean quiet, Duration waited, long busyMs) {}

    private JitQuiet() {}

    /** This JVM's compiler threads, by their accumulated compile time. */
    public static Wait awaitThisJvm(Duration max) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return new Wait(true, Duration.ZERO, 0);
        }
        return await(jit::getTotalCompilationTime, Duration.ofSeconds(1), 10, max);
    }

    /**
     * Samples a cumulative busy-time counter (milliseconds) once per window until it grows by at
     * most allowanceMs within one window, or until max has passed.
     */
    public static Wait await(LongSupplier busyMs, Duration window, long allowanceMs, Duration max)
            throws InterruptedException {
        long start = System.nanoTime();
        long first = busyMs.getAsLong();
        long before = first;
        while (true) {
            Thread.sleep(window.toMillis());
            long now = busyMs.getAsLong();
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (now - before <= allowanceMs) {
                return new Wait(true, waited, now - first);
            }
            if (waited.compareTo(max) >= 0) {
                return new Wait(false, waited, now - first);
            }
            before = now;
        }
    }
}
