package io.tokenscope.sim.engine;

/**
 * Simulated duration of one engine step:
 * {@code t = t_ovh + sqrt(t_w² + (n_tok / R)²) + a_pf · Σ c·(ctx0 + c/2) + a_kv · Σ ctx_decode}.
 * The square root blends the two regimes of a forward pass: reading the weights (t_w, memory
 * bound, small batches) and pushing n_tok tokens through the matmuls at R tokens/s (compute
 * bound, large batches). The a_pf term is attention over each prefill chunk of c tokens that
 * starts after ctx0 tokens (c·(ctx0 + c/2) query-key pairs); the a_kv term is decode attention
 * reading each decoding request's KV context.
 *
 * @param overheadS   t_ovh, scheduling and sampling per step
 * @param weightsS    t_w, reading the weights once
 * @param tokensPerS  R, matmul throughput
 * @param prefillPairS a_pf, seconds per query-key pair of prefill attention
 * @param kvTokenS    a_kv, seconds per context token read by a decode
 */
public record CostModel(double overheadS, double weightsS, double tokensPerS, double prefillPairS, double kvTokenS) {
    /** An 8B bf16 model on one H100 (defaults from the fit). */
    public static final CostModel H100_8B = new CostModel(1.5e-3, 5.9e-3, 55_000, 8.7e-10, 4.9e-8);

    public CostModel {
        if (overheadS < 0 || weightsS < 0 || tokensPerS <= 0 || prefillPairS < 0 || kvTokenS < 0) {
            throw new IllegalArgumentException("cost model terms must be >= 0 and R > 0");
        }
    }

    public double stepSeconds(int batchTokens, double prefillPairs, long decodeContextTokens) {
        double compute = batchTokens / tokensPerS;
        return overheadS + Math.sqrt(weightsS * weightsS + compute * compute) + prefillPairS * prefillPairs
                + kvTokenS * decodeContextTokens;
    }
}
