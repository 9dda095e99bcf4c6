package io.tokenscope.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * vLLM v1's scheduling policy in simulated time, free of clocks so it can be tested step by
 * step. A step first gives every running request what it needs (one token for a decode, a
 * chunk of its prompt for a prefill), in admission order, within the token budget; a request
 * that needs a KV block when none is free preempts the most recently admitted running request
 * (its blocks are freed, it waits at the head of the queue and later recomputes). Then waiting
 * requests are admitted first come first served while budget, max_num_seqs and free blocks
 * allow, each starting after its longest cached prefix.
 */
public final class Scheduler {
    /** What one step computes for one request. */
    public record Work(Sequence seq, int tokens) {}

    /** A planned step: the work, and how long the engine takes for it. */
    public record Step(List<Work> work, double seconds, int batchTokens) {
        public boolean isEmpty() {
            return work.isEmpty();
        }
    }

    /** A token sampled at the end of a step. first: the request's first; last: the request finished. */
    public record Emission(Sequence seq, boolean first, boolean last) {}

    private final int maxNumSeqs;
    private final int maxBatchedTokens;
    private final int blockSize;
    private final BlockPool pool;
    private final CostModel cost;
    private final List<Sequence> running = new ArrayList<>();
    private final Deque<Sequence> waiting = new ArrayDeque<>();
    private long prefixQueries;
    private long prefixHits;
    private long preemptions;

    public Scheduler(int maxNumSeqs, int maxBatchedTokens, int blockSize, int kvBlocks, CostModel cost) {
        if (maxNumSeqs < 1 || maxBatchedTokens < 1 || blockSize < 1) {
            throw new IllegalArgumentException("max_num_seqs, max_num_batched_tokens and block size must be >= 1");
        }
        this.maxNumSeqs = maxNumSeqs;
        this.maxBatchedTokens = maxBatchedTokens;
        this.blockSize = blockSize;
        this.pool = new BlockPool(kvBlocks);
        this.cost = cost;
    }

    public void add(Sequence seq) {
        checkFits(seq);
        waiting.addLast(seq);
    }

    /**
     * Throws IllegalArgumentException if the request could never be scheduled, its prompt and
     * answer needing more KV blocks than the pool has. Reads only what is fixed at construction,
     * so any thread may ask.
     */
    public void checkFits(Sequence seq) {
        // Its longest: the prompt and every answer token but the last, whose KV is never computed.
        // A request that fits only its prompt would preempt itself once the answer outgrew the
        // pool, and could never be admitted again, holding up every request queued behind it.
        int needed = blocksFor(seq.promptLength + seq.maxOutput - 1);
        if (needed > pool.total()) {
            throw new IllegalArgumentException("request needs " + needed + " KV blocks but the pool has " + pool.total());
        }
    }

    /** Drops a request (the client went away); its blocks return to the pool. */
    public void abort(Sequence seq) {
        if (seq.finished) {
            return;
        }
        running.remove(seq);
        waiting.remove(seq);
        pool.release(seq.blocks);
        seq.finished = true;
    }

    public void resetPrefixCache() {
        pool.resetCache();
    }

    public boolean hasWork() {
        return !running.isEmpty() || !waiting.isEmpty();
    }

    public Step schedule() {
        int budget = maxBatchedTokens;
        List<Work> work = new ArrayList<>();
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence seq = running.get(i);
            int n = Math.min(seq.tokens() - seq.computed, budget);
            while (!pool.allocate(blocksFor(seq.computed + n) - seq.blocks.size(), seq.blocks)) {
                Sequence victim = running.remove(running.size() - 1);
                preempt(victim);
                if (victim == seq) {
                    n = 0;
                    break;
                }
            }
            if (seq.finished || !running.contains(seq)) {
                break; // seq itself was preempted; every later running request was too
            }
            work.add(new Work(seq, n));
            cacheFullBlocks(seq, seq.computed + n);
            budget -= n;
        }
        while (budget > 0 && running.size() < maxNumSeqs && !waiting.isEmpty()) {
            Sequence seq = waiting.peekFirst();
            // A preempted request looks up its generated blocks too, as vLLM's recompute does.
            int hitBlocks = pool.cachedPrefix(seq.blockHashes, Math.min(seq.fullBlocks, (seq.tokens() - 1) / blockSize));
            int hitTokens = hitBlocks * blockSize;
            int n = Math.min(seq.tokens() - hitTokens, budget);
            int newBlocks = blocksFor(hitTokens + n) - hitBlocks;
            if (pool.free() - freeAmongHits(seq, hitBlocks) < newBlocks) {
                break;
            }
            waiting.pollFirst();
            pool.takeCached(seq.blockHashes, hitBlocks, seq.blocks);
            pool.allocate(newBlocks, seq.blocks);
            seq.computed = hitTokens;
            seq.cachedBlocks = hitBlocks;
            prefixQueries += seq.tokens();
            prefixHits += hitTokens;
            if (seq.cachedTokens < 0) {
                seq.cachedTokens = hitTokens;
            }
            running.add(seq);
            work.add(new Work(seq, n));
            cacheFullBlocks(seq, hitTokens + n);
            budget -= n;
        }
        return new Step(work, work.isEmpty() ? 0 : seconds(work), maxBatchedTokens - budget);
    }

    /**
     * Puts the full blocks a step will have computed, through {@code tokens}, in the prefix cache
     * as they are scheduled, as vLLM v1's allocate_slots does: their hashes depend on the tokens
     * alone, so a request admitted later in the same step already hits them (ten identical
     * prompts sent at once compute one prefill, not ten). Only blocks whose tokens are all known
     * have a hash.
     */
    private void cacheFullBlocks(Sequence seq, int tokens) {
        int filled = Math.min(tokens / blockSize, seq.fullBlocks);
        for (int b = seq.cachedBlocks; b < filled; b++) {
            pool.cache(seq.blocks.get(b), seq.blockHashes[b]);
        }
        seq.cachedBlocks = Math.max(seq.cachedBlocks, filled);
    }

    private int freeAmongHits(Sequence seq, int hitBlocks) {
        // Cached blocks nobody uses sit in the free queue; taking them for a hit uses up free blocks.
        return pool.countFreeAmongCached(seq.blockHashes, hitBlocks);
    }

    private double seconds(List<Work> work) {
        int tokens = 0;
        double prefillPairs = 0;
        long decodeContext = 0;
        for (Work w : work) {
            tokens += w.tokens();
            if (w.seq().prefilling() || w.tokens() > 1) {
                prefillPairs += w.tokens() * (w.seq().computed + w.tokens() / 2.0);
            } else {
                decodeContext += w.seq().computed + 1;
            }
        }
        return cost.stepSeconds(tokens, prefillPairs, decodeContext);
    }

    /**
     * Applies a finished step: KV advances, every block it filled joins the cache (generated
     * tokens' blocks too, as in vLLM v1), tokens are sampled. The last sampled token's KV is
     * never computed, so a request of P prompt and O output tokens leaves (P + O - 1) / 16
     * full blocks behind.
     */
    public List<Emission> complete(Step step) {
        List<Emission> emitted = new ArrayList<>(step.work().size());
        for (Work w : step.work()) {
            Sequence seq = w.seq();
            if (seq.finished || !running.contains(seq)) {
                continue; // aborted while the step ran
            }
            seq.computed += w.tokens();
            int filled = seq.computed / blockSize;
            for (int b = seq.cachedBlocks; b < filled; b++) {
                pool.cache(seq.blocks.get(b), seq.blockHashes[b]);
            }
            seq.cachedBlocks = Math.max(seq.cachedBlocks, filled);
            if (seq.computed == seq.tokens()) {
                seq.sampled();
                boolean last = seq.output == seq.maxOutput;
                emitted.add(new Emission(seq, seq.output == 1, last));
                if (last) {
                    seq.finished = true;
                    running.remove(seq);
                    pool.release(seq.blocks);
                }
            }
        }
        return emitted;
    }

    private void preempt(Sequence seq) {
        pool.release(seq.blocks);
        seq.computed = 0;
        seq.cachedBlocks = 0;
        seq.preemptions++;
        preemptions++;
        waiting.addFirst(seq);
    }

    private int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    public int running() {
        return running.size();
    }

    public int waiting() {
        return waiting.size();
    }

    public long prefixQueries() {
        return prefixQueries;
    }

    public long prefixHits() {
        return prefixHits;
    }

    public long preemptions() {
        return preemptions;
    }

    /** Fraction of KV blocks in use by running requests. */
    public double kvUsage() {
        return 1.0 - (double) pool.free() / pool.total();
    }

    BlockPool pool() {
        return pool;
    }
}
