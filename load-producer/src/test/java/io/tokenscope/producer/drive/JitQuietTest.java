package io.tokenscope.producer.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitQuietTest {
    private static final Duration WINDOW = Duration.ofMillis(20);

    @Test
    void quietOnceACounterStopsGrowingForOneWindow() throws Exception {
        // 100 ms per sample for the first four samples, then nothing: quiet at the fifth sample.
        AtomicLong calls = new AtomicLong();
        JitQuiet.Wait w = JitQuiet.await(() -> Math.min(calls.getAndIncrement(), 4) * 100, WINDOW, 10,
                Duration.ofSeconds(10));
        assertTrue(w.quiet());
        assertEquals(400, w.busyMs());
        assertEquals(6, calls.get(), "one sample before the first window and one after each of five windows");
    }

    @Test
    void growthWithinTheAllowanceCountsAsQuiet() throws Exception {
        AtomicLong calls = new AtomicLong();
        JitQuiet.Wait w = JitQuiet.await(() -> calls.getAndIncrement() * 10, WINDOW, 10, Duration.ofSeconds(10));
        assertTrue(w.quiet());
        assertEquals(10, w.busyMs());
    }

    @Test
    void givesUpAfterMaxWhenTheCounterNeverSettles() throws Exception {
        AtomicLong calls = new AtomicLong();
        JitQuiet.Wait w = JitQuiet.await(() -> calls.getAndIncrement() * 1000, WINDOW, 10, Duration.ofMillis(100));
        assertFalse(w.quiet());
        assertTrue(w.waited().compareTo(Duration.ofMillis(100)) >= 0, "waited " + w.waited());
        assertEquals((calls.get() - 1) * 1000, w.busyMs());
    }

    @Test
    void thisJvmSettlesAfterCompilingAHotMethod() throws Exception {
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += Long.toString(i).hashCode();
        }
        JitQuiet.Wait w = JitQuiet.awaitThisJvm(Duration.ofSeconds(30));
        assertTrue(w.quiet(), "still compiling after " + w.waited() + " (" + sum + ")");
    }
}
