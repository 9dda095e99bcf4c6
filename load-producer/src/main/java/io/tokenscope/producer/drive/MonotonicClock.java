package io.tokenscope.producer.drive;

/**
 * Wall-clock microseconds derived from one anchor plus System.nanoTime(), so wall times of a
 * run never jump with NTP and always agree with the monotonic arrival times they accompany.
 */
public final class MonotonicClock {
    private final long anchorNs = System.nanoTime();
    private final long anchorWallUs = System.currentTimeMillis() * 1000L;

    public long wallUs(long nanoTime) {
        return anchorWallUs + (nanoTime - anchorNs) / 1000L;
    }
}
