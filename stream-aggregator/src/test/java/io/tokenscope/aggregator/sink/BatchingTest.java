package io.tokenscope.aggregator.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchingTest {
    private final ClickHouseSink.Batching batching = new ClickHouseSink.Batching(200_000, 64L << 20, 500);

    @Test
    void aFewSmallRowsWaitForTheInterval() {
        assertFalse(batching.due(10, 1_500, 100_000_000L));
        assertTrue(batching.due(10, 1_500, 500_000_000L));
    }

    @Test
    void nothingWaitingIsNeverDue() {
        assertFalse(batching.due(0, 0, 10_000_000_000L));
    }

    @Test
    void enoughRowsAreDueAtOnce() {
        assertTrue(batching.due(200_000, 30L << 20, 0));
    }

    @Test
    void hugeRowsAreDueByTheirBytesLongBeforeTheRowBound() {
        // 1,000 hostile chunks of 64K characters, a few hundred thousand rows short of the row bound.
        long bytes = 1_000L * 3 * 65_536;
        assertTrue(batching.due(1_000, bytes, 0));
        assertFalse(batching.due(300, 300L * 3 * 65_536, 0));
    }
}
