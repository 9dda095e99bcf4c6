package io.tokenscope.sim.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The KV cache as vLLM's v1 block pool manages it. Blocks with no user sit in a free queue; a
 * freed block keeps its hash, so a later request with the same prefix can take it back (a
 * prefix-cache hit) until it is reused. Allocation takes blocks from the head of the queue and
 * evicts the hash of any cached block it takes; freeing appends to the tail, a request's blocks
 * in reverse order so that its last blocks, the least likely to be shared, go first.
 */
public final class BlockPool {
    static final long NO_HASH = 0;

    static final class Block {
        final int id;
        int refs;
        long hash = NO_HASH;
        Block prev, next;

        Block(int id) {
            this.id = id;
        }
    }

    private final Block[] blocks;
    private final Block head = new Block(-1);
    private final Block tail = new Block(-2);
    private final Map<Long, Block> cached = new HashMap<>();
    private int free;
    private long evictions;

    public BlockPool(int numBlocks) {
        if (numBlocks < 1) {
            throw new IllegalArgumentException("the KV pool needs at least one block");
        }
        blocks = new Block[numBlocks];
        head.next = tail;
        tail.prev = head;
        for (int i = 0; i < numBlocks; i++) {
            blocks[i] = new Block(i);
            append(blocks[i]);
        }
    }

    public int total() {
        return blocks.length;
    }

    public int free() {
        return free;
    }

    public long evictions() {
        return evictions;
    }

    /** Longest run of leading hashes that are cached; does not take the blocks. */
    int cachedPrefix(long[] hashes, int maxBlocks) {
        int n = 0;
        while (n < maxBlocks && n < hashes.length && cached.containsKey(hashes[n])) {
            n++;
        }
        return n;
    }

    /** How many of the cached blocks for these leading hashes sit in the free queue. */
    int countFreeAmongCached(long[] hashes, int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (cached.get(hashes[i]).refs == 0) {
                n++;
            }
        }
        return n;
    }

    /** Takes the cached blocks for these leading hashes (a hit); they leave the free queue. */
    void takeCached(long[] hashes, int count, List<Block> into) {
        for (int i = 0; i < count; i++) {
            Block b = cached.get(hashes[i]);
            if (b.refs == 0) {
                unlink(b);
            }
            b.refs++;
            into.add(b);
        }
    }

    /** Takes n blocks from the head of the free queue, or none if fewer are free. */
    boolean allocate(int n, List<Block> into) {
        if (n > free) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            Block b = head.next;
            unlink(b);
            if (b.hash != NO_HASH) {
                cached.remove(b.hash);
                b.hash = NO_HASH;
                evictions++;
            }
            b.refs = 1;
            into.add(b);
        }
        return true;
    }

    /** Forgets every cached prefix; blocks in use keep their tokens but are no longer shareable. */
    void resetCache() {
        for (Block b : blocks) {
            b.hash = NO_HASH;
        }
        cached.clear();
    }

    /** Marks a block full of computed tokens as holding this prefix hash, if no block holds it yet. */
    void cache(Block b, long hash) {
        if (b.hash == NO_HASH && !cached.containsKey(hash)) {
            b.hash = hash;
            cached.put(hash, b);
        }
    }

    /** Releases a request's blocks, last block first. */
    void release(List<Block> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            Block b = owned.get(i);
            if (--b.refs == 0) {
                append(b);
            }
        }
        owned.clear();
    }

    private void append(Block b) {
        b.prev = tail.prev;
        b.next = tail;
        tail.prev.next = b;
        tail.prev = b;
        free++;
    }

    private void unlink(Block b) {
        b.prev.next = b.next;
        b.next.prev = b.prev;
        b.prev = b.next = null;
        free--;
    }
}
