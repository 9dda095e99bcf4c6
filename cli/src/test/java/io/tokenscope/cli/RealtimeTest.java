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
    @Test
    void raisesExactlyTheNamedThread() throws Exception {
        CompletableFuture<Long> tid = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            tid.complete(Realtime.currentThreadId());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        try {
            long id = tid.get();
            assertNotEquals(ProcessHandle.current().pid(), id, "a thread's id, not the process's");
            assertEquals("SCHED_OTHER", Realtime.policyOf(id));
            Realtime.raise(List.of(id), 5, "--realtime-priority");
            assertEquals("SCHED_FIFO", Realtime.policyOf(id));
            assertEquals("SCHED_OTHER", Realtime.policyOf(Realtime.currentThreadId()), "the caller is left alone");
        } finally {
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
