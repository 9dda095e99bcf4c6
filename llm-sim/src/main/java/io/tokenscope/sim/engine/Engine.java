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
 * an idle engine starts the next step when a request arrives. A step joins only requests that
 * had arrived by its start: when the engine thread runs late, a step starts in the past, and a
 * request that came in since then waits for the next one, as it would on a server keeping time
 * (joining would give it a first token sooner than any step takes). Tokens are handed to each
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
    /** Requests submitted but not yet handed to the scheduler, with when they arrived. */
    private final List<Arrival> arrivals = new ArrayList<>();

    private record Arrival(Sequence seq, long atNs) {}
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

    /**
     * Queues a request that arrived at arrivedNs (System.nanoTime() scale); callable from any
     * thread. Throws IllegalArgumentException, before queuing anything, for a request that could
     * never fit the KV pool: admitted later, on the engine thread, it would stop every step.
     */
    public void submit(Sequence seq, Listener listener, long arrivedNs) {
        scheduler.checkFits(seq);
        long atNs = Math.min(arrivedNs, System.nanoTime());
        loop.execute(() -> {
            arrivals.add(new Arrival(seq, atNs));
            listeners.put(seq, listener);
            if (!stepping) {
                nextStepStartNs = System.nanoTime();
                step();
            } else {
                publishSnapshot();
            }
        });
    }

    private void publishSnapshot() {
        snapshot = new Snapshot(scheduler.running(), scheduler.waiting() + arrivals.size(), scheduler.kvUsage(),
                scheduler.prefixQueries(), scheduler.prefixHits(), scheduler.preemptions(), steps);
    }

    /** Empties the prefix cache, as vLLM's /reset_prefix_cache does; callable from any thread. */
    public void resetPrefixCache() {
        loop.execute(scheduler::resetPrefixCache);
    }

    /** Drops a request whose client went away; callable from any thread. */
    public void abort(Sequence seq) {
        loop.execute(() -> {
            if (!arrivals.removeIf(a -> a.seq() == seq)) {
                scheduler.abort(seq);
            }
            listeners.remove(seq);
        });
    }

    private void step() {
        admitArrivedBy(nextStepStartNs);
        Scheduler.Step step = scheduler.schedule();
        if (step.isEmpty() && !arrivals.isEmpty()) {
            // Nothing had arrived by the step's start, but something has since: the engine was
            // idle from the start until the earliest of them.
            nextStepStartNs = arrivals.stream().mapToLong(Arrival::atNs).min().orElseThrow();
            admitArrivedBy(nextStepStartNs);
            step = scheduler.schedule();
        }
        publishSnapshot();
        if (step.isEmpty()) {
            stepping = false;
            return;
        }
        stepping = true;
        Scheduler.Step planned = step;
        long endNs = nextStepStartNs + (long) (step.seconds() * 1e9);
        loop.schedule(() -> finish(planned, endNs), Math.max(0, endNs - System.nanoTime()), TimeUnit.NANOSECONDS);
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
    }

    /** Hands the scheduler every request that had arrived by startNs, in arrival order. */
    private void admitArrivedBy(long startNs) {
        if (arrivals.isEmpty()) {
            return;
        }
        arrivals.sort(java.util.Comparator.comparingLong(Arrival::atNs));
        int n = 0;
        while (n < arrivals.size() && arrivals.get(n).atNs() <= startNs) {
            scheduler.add(arrivals.get(n).seq());
            n++;
        }
        arrivals.subList(0, n).clear();
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
