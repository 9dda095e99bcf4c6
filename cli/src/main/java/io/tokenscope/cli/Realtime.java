package io.tokenscope.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts the threads whose wake-up time is being measured into the SCHED_FIFO real-time class.
 *
 * <p>On two cores shared with a broker, a database, an aggregator and JIT compiler threads, a
 * woken event loop can wait for a whole scheduler slice before it runs; measured here, that
 * added 1-7 ms to a 50 ms first token. A SCHED_FIFO thread preempts every ordinary thread the
 * moment it becomes runnable. Only the named I/O threads are raised, never a whole JVM: a JIT
 * compiler thread at real-time priority would hold a core for its full time slice.
 *
 * <p>Linux only. It needs CAP_SYS_NICE (root, or a container granted it) and util-linux's
 * {@code chrt}; the kernel's real-time throttling (sched_rt_runtime_us) still leaves other
 * threads 5% of each core, so a spinning thread cannot lock the machine up.
 *
 * <p>Raised threads are marked reset-on-fork: a thread created by an event loop (Vert.x starts
 * its worker and acceptor threads lazily, from whichever thread first needs one) would otherwise
 * inherit SCHED_FIFO and run blocking work at real-time priority, ahead of the loop it serves.
 */
public final class Realtime {
    private Realtime() {}

    /**
     * The kernel's id of the calling thread. Reading one procfs link is a single syscall with no
     * I/O behind it, so it is safe on an event loop; the raising itself is not, see {@link #raise}.
     */
    public static long currentThreadId() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(self.getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalStateException("cannot find this thread's kernel id in /proc/thread-self: " + e, e);
        }
    }

    /**
     * Moves the given kernel threads to SCHED_FIFO at this priority (1-99). Spawns chrt, so call
     * it from a thread that may block. The message of any failure names the flag that asked for it.
     */
    public static void raise(Collection<Long> threadIds, int priority, String flag) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException(flag + " must be 1..99 (SCHED_FIFO priority), got " + priority);
        }
        for (long tid : threadIds) {
            List<String> command = new ArrayList<>(List.of("chrt", "-f", "--reset-on-fork", "-p", String.valueOf(priority),
                    String.valueOf(tid)));
            String output;
            int exit;
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(flag + ": chrt did not finish within 10 s");
                }
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                exit = p.exitValue();
            } catch (IOException e) {
                throw new IllegalStateException(flag + " needs util-linux's chrt on the PATH: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(flag + ": interrupted while raising thread " + tid, e);
            }
            if (exit != 0) {
                throw new IllegalStateException(flag + ": cannot move thread " + tid + " to SCHED_FIFO " + priority
                        + " (needs CAP_SYS_NICE, e.g. root): " + output);
            }
        }
    }
}
