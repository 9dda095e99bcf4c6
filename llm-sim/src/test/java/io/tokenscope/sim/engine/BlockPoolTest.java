package io.tokenscope.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockPoolTest {
    private static int[] tokens(int n, int offset) {
        return IntStream.range(offset, offset + n).toArray();
    }

    @Test
    void hashesChainSoEqualHashesMeanEqualPrefixes() {
        long[] a = BlockHashes.of(tokens(48, 0), 16);
        int[] changedFirst = tokens(48, 0);
        changedFirst[3] = -1;
        long[] b = BlockHashes.of(changedFirst, 16);
        assertEquals(3, a.length);
        assertNotEquals(a[0], b[0]);
        assertNotEquals(a[2], b[2], "a change in block 0 changes every later block's hash");
        int[] changedLast = tokens(48, 0);
        changedLast[40] = -1;
        long[] c = BlockHashes.of(changedLast, 16);
        assertEquals(a[0], c[0]);
        assertEquals(a[1], c[1]);
        assertNotEquals(a[2], c[2]);
    }

    @Test
    void onlyFullBlocksAreHashed() {
        assertEquals(62, BlockHashes.of(tokens(1000, 0), 16).length);
        assertEquals(0, BlockHashes.of(tokens(15, 0), 16).length);
    }

    @Test
    void freedBlocksStayCachedUntilAllocationEvictsFromTheHead() {
        BlockPool pool = new BlockPool(4);
        long[] hashes = {11, 22};
        List<BlockPool.Block> owned = new ArrayList<>();
        assertTrue(pool.allocate(2, owned));
        pool.cache(owned.get(0), hashes[0]);
        pool.cache(owned.get(1), hashes[1]);
        pool.release(owned);
        assertEquals(4, pool.free());
        assertEquals(2, pool.cachedPrefix(hashes, 2), "freed blocks still hit");

        // Free queue now: [2, 3, block-of-22, block-of-11]; released in reverse, so 22 precedes 11.
        List<BlockPool.Block> other = new ArrayList<>();
        assertTrue(pool.allocate(3, other));
        assertEquals(1, pool.evictions());
        assertEquals(0, pool.cachedPrefix(new long[] {22}, 1), "the last block of the prefix went first");
        assertEquals(1, pool.cachedPrefix(hashes, 2), "the first block survives");
        assertFalse(pool.allocate(2, other), "only one block is left");
    }

    @Test
    void takingACachedBlockRemovesItFromTheFreeQueueAndSharesIt() {
        BlockPool pool = new BlockPool(3);
        List<BlockPool.Block> first = new ArrayList<>();
        pool.allocate(1, first);
        pool.cache(first.get(0), 7);
        pool.release(first);
        List<BlockPool.Block> a = new ArrayList<>();
        List<BlockPool.Block> b = new ArrayList<>();
        pool.takeCached(new long[] {7}, 1, a);
        pool.takeCached(new long[] {7}, 1, b);
        assertEquals(2, pool.free());
        assertEquals(a.get(0), b.get(0));
        pool.release(a);
        assertEquals(2, pool.free(), "still used by b");
        pool.release(b);
        assertEquals(3, pool.free());
    }
}
