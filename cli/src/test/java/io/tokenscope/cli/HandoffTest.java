package io.tokenscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffTest {
    @Test
    void everyItemArrivesOnceInOrderFromEachProducer() throws Exception {
        Handoff<long[]> handoff = new Handoff<>();
        int producers = 3, each = 50_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < each; i++) handoff.offer(new long[] {id, i});
            }));
        }
        threads.forEach(Thread::start);
        long[] next = new long[producers];
        List<long[]> batch = new ArrayList<>();
        int received = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (received < producers * each && System.nanoTime() < deadline) {
            batch.clear();
            received += handoff.drainTo(batch, 1000);
            for (long[] item : batch) {
                assertEquals(next[(int) item[0]]++, item[1], "producer " + item[0] + "'s items in order");
            }
        }
        for (Thread t : threads) t.join();
        assertEquals(producers * each, received);
        batch.clear();
        assertEquals(0, handoff.drainTo(batch, 10), "nothing left over or duplicated");
    }

    @Test
    void anEmptyDrainParksBrieflyAndReturnsNothing() {
        Handoff<String> handoff = new Handoff<>();
        List<String> out = new ArrayList<>();
        long t0 = System.nanoTime();
        assertEquals(0, handoff.drainTo(out, 10));
        assertTrue(out.isEmpty());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "parks for microseconds, not until an item comes");
        handoff.offer("a");
        handoff.offer("b");
        assertEquals(1, handoff.drainTo(out, 1));
        assertEquals(List.of("a"), out);
    }
}
