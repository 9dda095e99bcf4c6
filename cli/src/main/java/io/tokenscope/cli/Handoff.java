package io.tokenscope.cli;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands items from a real-time event loop to one ordinary background thread without ever making
 * the loop wait. A {@code LinkedBlockingQueue} does make it wait: {@code put} takes the lock the
 * consumer holds while it drains, and a consumer preempted inside {@code drainTo} holds it for
 * a whole scheduler slice. The loop then sleeps behind a thread of lower priority (priority
 * inversion), on a path where chunk delays of 10-50 ms were measured. Here the loop only does a CAS, and
 * the consumer never wakes the loop or is woken by it: it polls, and when it finds nothing it
 * parks for a while, backing off to {@link #MAX_PARK_NS}. Items reach the consumer up to that
 * much later, which is nothing to telemetry or a log.
 */
public final class Handoff<T> {
    static final long MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private long parkNs = MIN_PARK_NS;

    /** Never blocks; any thread. */
    public void offer(T item) {
        queue.offer(item);
    }

    /**
     * Consumer thread only: moves up to max items to out, or, when there are none, parks and
     * returns 0. Returns how many it moved.
     */
    public int drainTo(List<T> out, int max) {
        int n = 0;
        T item;
        while (n < max && (item = queue.poll()) != null) {
            out.add(item);
            n++;
        }
        if (n > 0) {
            parkNs = MIN_PARK_NS;
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(MAX_PARK_NS, parkNs * 2);
        }
        return n;
    }
}
