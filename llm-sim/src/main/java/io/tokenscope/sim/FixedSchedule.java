package io.tokenscope.sim;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fixed engine: token k of every request is sampled at arrival + ttft + k * itl, whatever
 * else is running. Each timer is set against that absolute time, so timer lateness never
 * accumulates. Timers go straight to the connection's Netty event loop with nanosecond delays:
 * Vert.x timers round to whole milliseconds, which alone would skew every inter-token gap.
 */
final class FixedSchedule {
    private final EventLoop loop;
    private final ResponseWriter writer;
    private final long arrivalNs;
    private final long ttftNs;
    private final long itlNs;
    private final int tokens;
    private final long spinNs;
    private int sampled;
    private ScheduledFuture<?> timer;

    FixedSchedule(EventLoop loop, ResponseWriter writer, long arrivalNs, SimConfig config, int tokens) {
        this.loop = loop;
        this.writer = writer;
        this.arrivalNs = arrivalNs;
        this.ttftNs = (long) (config.ttftMs() * 1e6);
        this.itlNs = (long) (config.itlMs() * 1e6);
        this.tokens = tokens;
        this.spinNs = config.spinUs() * 1000L;
    }

    void start() {
        writer.onStop(() -> {
            if (timer != null) {
                timer.cancel(false);
            }
        });
        scheduleNext();
    }

    private void scheduleNext() {
        long dueNs = arrivalNs + ttftNs + sampled * itlNs;
        long wakeNs = dueNs - spinNs;
        timer = loop.schedule(this::sample, Math.max(0, wakeNs - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void sample() {
        if (writer.closed()) {
            return;
        }
        long dueNs = arrivalNs + ttftNs + sampled * itlNs;
        // Waking a sleeping thread takes a few hundred microseconds on a VM; with --spin-us the
        // timer fires that much early and the last stretch is waited out on the CPU.
        while (spinNs > 0 && System.nanoTime() < dueNs) {
            Thread.onSpinWait();
        }
        sampled++;
        writer.token(sampled == tokens, 0, dueNs);
        if (sampled < tokens) {
            scheduleNext();
        }
    }
}
