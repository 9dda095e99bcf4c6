package io.tokenscope.producer.drive;

import io.netty.channel.EventLoop;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Starts requests one per turn of the event loop. A start builds and writes a request and hands
 * off its RequestStarted: tens of microseconds warm, far more cold or on a busy core. Started
 * in one go, a burst held every response that came in meanwhile unread, and so stamped late:
 * 400 requests sent at once, the server's first tokens sent 29 ms in, were read 1,045 ms in.
 * Netty runs a scheduled task only after its next poll for I/O, so each start scheduled here
 * lets the loop read and timestamp whatever arrived before it.
 *
 * <p>Each start runs as the driver's Vert.x context. A bare Netty task has no current context,
 * and the HTTP client then gives the request a new one on the next event loop of the pool, so
 * its callbacks, and the driver's counters they update, ran on several threads at once: with
 * four loops a burst of 60 lost a count and never finished.
 *
 * <p>Only the event loop's own thread may call {@link #add}.
 */
final class StartPacer {
    private final ContextInternal context;
    private final EventLoop loop;
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private boolean scheduled;

    StartPacer(ContextInternal context) {
        this.context = context;
        this.loop = context.nettyEventLoop();
    }

    void add(Runnable start) {
        pending.addLast(start);
        if (!scheduled) {
            scheduled = true;
            loop.schedule(this::startOne, 0, TimeUnit.NANOSECONDS);
        }
    }

    private void startOne() {
        try {
            context.dispatch(pending.pollFirst());
        } finally {
            if (pending.isEmpty()) {
                scheduled = false;
            } else {
                loop.schedule(this::startOne, 0, TimeUnit.NANOSECONDS);
            }
        }
    }
}
