package io.tokenscope.sim.engine;

/**
 * Prefix-cache block hashes as a chain, the way vLLM's automatic prefix caching keys blocks:
 * the hash of block i covers the hash of block i-1 and the token ids of block i, so equal
 * hashes mean equal whole prefixes. Only full blocks get a hash. The mixing function is a
 * 64-bit multiply-xorshift (the SplitMix64 finalizer) over each token id; collisions are
 * negligible at simulator scale.
 */
public final class BlockHashes {
    /** Hash of the empty prefix, the parent of the first block. */
    static final long ROOT = 0x6A09E667F3BCC909L;

    private BlockHashes() {}

    /** Hashes of every full block of the token ids; the last partial block has none. */
    public static long[] of(int[] tokenIds, int blockSize) {
        long[] hashes = new long[tokenIds.length / blockSize];
        long parent = ROOT;
        for (int b = 0; b < hashes.length; b++) {
            hashes[b] = block(parent, tokenIds, b * blockSize, blockSize);
            parent = hashes[b];
        }
        return hashes;
    }

    /** The hash of the block of tokenIds[from, from + blockSize) whose parent block hashed to parent. */
    static long block(long parent, int[] tokenIds, int from, int blockSize) {
        long h = mix(parent ^ 0x9E3779B97F4A7C15L);
        for (int i = from; i < from + blockSize; i++) {
            h = mix(h ^ (tokenIds[i] & 0xFFFFFFFFL));
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
