package io.tokenscope.sim.engine;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scheduler against the real clock on a thread of its own: a step planned at T ends at
 * T + its simulated duration, then its tokens go out and the next step starts at that same
 * instant, so timer lateness never accumulates. Steps run back to back while there is work;
 * an idle engine starts the next step when a request arrives. Tokens are handed to each
 * request's listener on the listener's own executor (its connection's event loop), batched
 * per executor so one step costs one task per I/O thread, not one per stream.
 */
public final class Engine implements AutoCloseable {
    /** Receives a request's tokens, on its own executor. */
    public interface Listener {
        Executor executor();

        /** A token was sampled at stepEndNs (System.nanoTime() scale); last: the request is done. */
        void onToken(Sequence seq, boolean first, boolean last, long stepEndNs);
    }

    private final Scheduler scheduler;
    private final EventLoop loop = new DefaultEventLoop();
    private final Map<Sequence, Listener> listeners = new HashMap<>();
    /** Scheduler figures after the latest step, for /metrics without asking the engine thread. */
    public record Snapshot(int running, int waiting, double kvUsage, long prefixQueries, long prefixHits,
                           long preemptions, long steps) {}

    private volatile Snapshot snapshot = new Snapshot(0, 0, 0, 0, 0, 0, 0);
    private boolean stepping;
    private long nextStepStartNs;
    private long steps;

    public Engine(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Queues a request; callable from any thread. */
    public void submit(Sequence seq, Listener listener) {
        loop.execute(() -> {
            scheduler.add(seq);
            listeners.put(seq, listener);
            snapshot = new Snapshot(scheduler.running(), scheduler.waiting(), scheduler.kvUsage(),
                    scheduler.prefixQueries(), scheduler.prefixHits(), scheduler.preemptions(), steps);
            if (!stepping) {
                nextStepStartNs = System.nanoTime();
                step();
            }
        });
    }

    /** Empties the prefix cache, as vLLM's /reset_prefix_cache does; callable from any thread. */
    public void resetPrefixCache() {
        loop.execute(scheduler::resetPrefixCache);
    }

    /** Drops a request whose client went away; callable from any thread. */
    public void abort(Sequence seq) {
        loop.execute(() -> {
            scheduler.abort(seq);
            listeners.remove(seq);
        });
    }

    private void step() {
        Scheduler.Step step = scheduler.schedule();
        if (step.isEmpty()) {
            stepping = false;
            return;
        }
        stepping = true;
        long endNs = nextStepStartNs + (long) (step.seconds() * 1e9);
        loop.schedule(() -> finish(step, endNs), Math.max(0, endNs - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private record Delivery(Listener listener, Scheduler.Emission emission) {}

    private void finish(Scheduler.Step step, long endNs) {
        steps++;
        Map<Executor, List<Delivery>> byExecutor = new IdentityHashMap<>();
        for (Scheduler.Emission e : scheduler.complete(step)) {
            Listener l = e.last() ? listeners.remove(e.seq()) : listeners.get(e.seq());
            if (l != null) {
                byExecutor.computeIfAbsent(l.executor(), x -> new ArrayList<>()).add(new Delivery(l, e));
            }
        }
        byExecutor.forEach((executor, deliveries) -> executor.execute(() -> {
            for (Delivery d : deliveries) {
                d.listener().onToken(d.emission().seq(), d.emission().first(), d.emission().last(), endNs);
            }
        }));
        nextStepStartNs = endNs;
        step();
        snapshot = new Snapshot(scheduler.running(), scheduler.waiting(), scheduler.kvUsage(),
                scheduler.prefixQueries(), scheduler.prefixHits(), scheduler.preemptions(), steps);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The kernel id of the engine's thread, so it can be given real-time priority. */
    public long threadId() {
        try {
            return loop.submit(io.tokenscope.cli.Realtime::currentThreadId).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the engine thread did not answer", e);
        }
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
