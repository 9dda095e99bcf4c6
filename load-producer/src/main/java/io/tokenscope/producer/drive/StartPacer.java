package io.tokenscope.producer.drive;

import io.netty.channel.EventLoop;
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
 * <p>Only the event loop's own thread may call {@link #add}.
 */
final class StartPacer {
    private final EventLoop loop;
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private boolean scheduled;

    StartPacer(EventLoop loop) {
        this.loop = loop;
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
            pending.pollFirst().run();
        } finally {
            if (pending.isEmpty()) {
                scheduled = false;
            } else {
                loop.schedule(this::startOne, 0, TimeUnit.NANOSECONDS);
            }
        }
    }
}
