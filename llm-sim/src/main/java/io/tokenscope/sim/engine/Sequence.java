package io.tokenscope.sim.engine;

import java.util.ArrayList;
import java.util.List;

/** One request inside the engine: its prompt, how far its KV is computed, what it has generated. */
public final class Sequence {
    final long id;
    final int promptLength;
    final long[] promptBlockHashes;
    final int maxOutput;
    final List<BlockPool.Block> blocks = new ArrayList<>();
    int computed;
    int output;
    int cachedTokens = -1;
    int preemptions;
    boolean finished;

    public Sequence(long id, int[] promptTokenIds, int maxOutput, int blockSize) {
        if (promptTokenIds.length < 1) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (maxOutput < 1) {
            throw new IllegalArgumentException("a request must generate at least one token");
        }
        this.id = id;
        this.promptLength = promptTokenIds.length;
        this.promptBlockHashes = BlockHashes.of(promptTokenIds, blockSize);
        this.maxOutput = maxOutput;
    }

    /** Tokens whose KV the next steps must hold: the prompt plus every token generated so far. */
    int tokens() {
        return promptLength + output;
    }

    boolean prefilling() {
        return computed < promptLength;
    }

    public long id() {
        return id;
    }

    public int promptLength() {
        return promptLength;
    }

    public int output() {
        return output;
    }

    /** Prompt tokens served from the prefix cache when first scheduled; -1 before that. */
    public int cachedTokens() {
        return cachedTokens;
    }

    public int preemptions() {
        return preemptions;
    }

    public boolean finished() {
        return finished;
    }
}
