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
 * parks for {@link #PARK_NS}. Items reach the consumer up to that much later, which is nothing
 * to telemetry or a log. The park is not shorter because wake-ups are costly: on the reference
 * guest one took about 18 µs (half the ping-pong round trip of `./tokenscope bench loopback`),
 * and a 100 µs park could wake the consumer 10,000 times a second.
 */
public final class Handoff<T> {
    static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();

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
        if (n == 0) {
            LockSupport.parkNanos(PARK_NS);
        }
        return n;
    }
}
