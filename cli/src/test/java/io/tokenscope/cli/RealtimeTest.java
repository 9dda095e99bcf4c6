package io.tokenscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RealtimeTest {
    /** The scheduling policy of a kernel thread as chrt reports it, e.g. "SCHED_FIFO". */
    private static String policyOf(long threadId) throws Exception {
        Process p = new ProcessBuilder("chrt", "-p", String.valueOf(threadId)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        int at = out.indexOf("SCHED_");
        return at < 0 ? out.strip() : out.substring(at).split("\\s")[0];
    }

    @Test
    void raisesExactlyTheNamedThreadAndNotTheThreadsItStarts() throws Exception {
        CompletableFuture<Long> tid = new CompletableFuture<>();
        CompletableFuture<Long> childTid = new CompletableFuture<>();
        CountDownLatch raised = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            tid.complete(Realtime.currentThreadId());
            try {
                raised.await();
                Thread child = new Thread(() -> {
                    childTid.complete(Realtime.currentThreadId());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                child.start();
                child.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        try {
            long id = tid.get();
            assertNotEquals(ProcessHandle.current().pid(), id, "a thread's id, not the process's");
            assertEquals("SCHED_OTHER", policyOf(id));
            Realtime.raise(List.of(id), 5, "--realtime-priority");
            assertEquals("SCHED_FIFO|SCHED_RESET_ON_FORK", policyOf(id));
            assertEquals("SCHED_OTHER", policyOf(Realtime.currentThreadId()), "the caller is left alone");
            raised.countDown();
            assertEquals("SCHED_OTHER", policyOf(childTid.get()), "a thread the raised one starts is ordinary");
        } finally {
            raised.countDown();
            release.countDown();
            worker.join();
        }
    }

    @Test
    void failuresNameTheFlag() {
        var e = assertThrows(IllegalArgumentException.class, () -> Realtime.raise(List.of(1L), 0, "--realtime-priority"));
        assertTrue(e.getMessage().startsWith("--realtime-priority must be 1..99"), e.getMessage());
        var gone = assertThrows(IllegalStateException.class,
                () -> Realtime.raise(List.of(Long.MAX_VALUE / 2), 5, "--realtime-priority"));
        assertTrue(gone.getMessage().startsWith("--realtime-priority: cannot move thread"), gone.getMessage());
    }
}
