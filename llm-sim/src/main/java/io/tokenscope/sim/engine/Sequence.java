package io.tokenscope.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * One request inside the engine: its tokens, how far its KV is computed, what it has generated.
 * Like vLLM's Request, it hashes a block as soon as its tokens are known, generated ones
 * included, so the blocks its decode fills can be cached and shared like prompt blocks.
 */
public final class Sequence {
    final long id;
    final int promptLength;
    final int maxOutput;
    final List<BlockPool.Block> blocks = new ArrayList<>();
    private final int blockSize;
    private final IntUnaryOperator outputTokenId;
    /** Chain hashes of the full blocks of prompt + generated tokens; the first fullBlocks are valid. */
    long[] blockHashes;
    int fullBlocks;
    /** Token ids of the last, partly filled block: a block is hashed only once all its tokens are known. */
    private final int[] openBlock;
    private int openTokens;
    /** Leading blocks already offered to the prefix cache since admission. */
    int cachedBlocks;
    int computed;
    int output;
    int cachedTokens = -1;
    int preemptions;
    boolean finished;

    /**
     * @param outputTokenId the vocabulary id of the k-th generated token (0-based); it must be
     *                      the id the prompt tokenizer gives that token's text, or a follow-up
     *                      that quotes this answer cannot hit its blocks
     */
    public Sequence(long id, int[] promptTokenIds, int maxOutput, int blockSize, IntUnaryOperator outputTokenId) {
        if (promptTokenIds.length < 1) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (maxOutput < 1) {
            throw new IllegalArgumentException("a request must generate at least one token");
        }
        this.id = id;
        this.promptLength = promptTokenIds.length;
        this.maxOutput = maxOutput;
        this.blockSize = blockSize;
        this.outputTokenId = outputTokenId;
        this.blockHashes = BlockHashes.of(promptTokenIds, blockSize);
        this.fullBlocks = blockHashes.length;
        this.openBlock = new int[blockSize];
        this.openTokens = promptLength - fullBlocks * blockSize;
        System.arraycopy(promptTokenIds, fullBlocks * blockSize, openBlock, 0, openTokens);
    }

    /** Records the token just sampled; hashes the block it completes. */
    void sampled() {
        openBlock[openTokens++] = outputTokenId.applyAsInt(output);
        output++;
        if (openTokens == blockSize) {
            if (fullBlocks == blockHashes.length) {
                blockHashes = Arrays.copyOf(blockHashes, Math.max(4, fullBlocks * 2));
            }
            long parent = fullBlocks == 0 ? BlockHashes.ROOT : blockHashes[fullBlocks - 1];
            blockHashes[fullBlocks++] = BlockHashes.block(parent, openBlock, 0, blockSize);
            openTokens = 0;
        }
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
