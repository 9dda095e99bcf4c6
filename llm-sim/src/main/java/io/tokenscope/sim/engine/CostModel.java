package io.tokenscope.sim.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
    /*
     * How each profile's terms follow from public figures. Models (from their config.json):
     *   Llama-3.1-8B:  8.03e9 params = 16.06 GB in bf16; 32 layers, 32 query heads, 8 KV heads, head_dim 128
     *   Llama-3.1-70B: 70.55e9 params = 141.1 GB in bf16; 80 layers, 64 query heads, 8 KV heads, head_dim 128
     * GPUs (NVIDIA datasheets, dense bf16 tensor FLOPs, no sparsity):
     *   H100 SXM5 80GB: 3.35 TB/s HBM3, 989.4 TFLOPS, NVLink 900 GB/s (450 GB/s each way)
     *   A100 SXM4 80GB: 2.039 TB/s HBM2e, 312 TFLOPS
     *   L40S 48GB:      0.864 TB/s GDDR6, 362.05 TFLOPS
     * Per token, a forward pass does 2·params FLOPs of matmuls; one query-key pair of attention
     * costs 4·layers·q_heads·head_dim FLOPs (QK^T and AV, a multiply-add each); a decode reads
     * 2·layers·kv_heads·head_dim·2 bytes of K and V per context token.
     *
     * h100-8b was fitted first; set against the peaks above it achieves 81% of HBM bandwidth
     * reading weights, 89% of bf16 peak in the matmuls, 61% of it in prefill attention and 80%
     * of HBM reading paged KV. The other profiles apply those same efficiencies to their own
     * hardware, rounded to two figures as h100-8b's are. t_ovh (scheduling, sampling, launching
     * CUDA graphs) is host-side work, the same 1.5 ms on every GPU.
     */

    /**
     * Llama-3.1-8B bf16 on one H100 SXM (the fit):
     * t_w = 16.06 GB / (0.81 · 3.35 TB/s) = 5.9 ms;
     * R = 0.89 · 989.4e12 / (2 · 8.03e9) = 55k tok/s;
     * a_pf = (4·32·32·128 = 524,288 FLOPs) / (0.61 · 989.4e12) = 8.7e-10 s;
     * a_kv = (2·32·8·128·2 = 131,072 B) / (0.80 · 3.35 TB/s) = 4.9e-8 s.
     */
    public static final CostModel H100_8B = new CostModel(1.5e-3, 5.9e-3, 55_000, 8.7e-10, 4.9e-8);

    /**
     * Llama-3.1-8B bf16 on one A100 SXM4 80GB:
     * t_w = 16.06 GB / (0.81 · 2.039 TB/s) = 9.7 ms;
     * R = 0.89 · 312e12 / 16.06e9 = 17k tok/s;
     * a_pf = 524,288 / (0.61 · 312e12) = 2.8e-9 s;
     * a_kv = 131,072 B / (0.80 · 2.039 TB/s) = 8.0e-8 s.
     */
    public static final CostModel A100_8B = new CostModel(1.5e-3, 9.7e-3, 17_000, 2.8e-9, 8.0e-8);

    /**
     * Llama-3.1-8B bf16 on one L40S: more tensor FLOPs than an A100 but GDDR6 at 42% of its
     * bandwidth, so decode (weight and KV reads) is far slower while prefill is a little faster.
     * t_w = 16.06 GB / (0.81 · 0.864 TB/s) = 23 ms;
     * R = 0.89 · 362.05e12 / 16.06e9 = 20k tok/s;
     * a_pf = 524,288 / (0.61 · 362.05e12) = 2.4e-9 s;
     * a_kv = 131,072 B / (0.80 · 0.864 TB/s) = 1.9e-7 s.
     */
    public static final CostModel L40S_8B = new CostModel(1.5e-3, 23e-3, 20_000, 2.4e-9, 1.9e-7);

    /**
     * Llama-3.1-70B bf16 on four H100 SXM with tensor parallelism 4: each GPU holds a quarter of
     * the weights, query heads and KV heads (2 of 8), and every layer ends its attention and its
     * MLP with an all-reduce of the hidden state (2·80 = 160 per step).
     * t_ovh = 1.5 ms + 160 all-reduces · ~8 µs small-message NVLink latency (an estimate, not a
     * datasheet figure) = 2.8 ms;
     * t_w = (141.1 GB / 4) / (0.81 · 3.35 TB/s) = 13 ms;
     * R: matmuls 4 · 0.89 · 989.4e12 / (2 · 70.55e9) = 24,960 tok/s, plus per token a ring
     * all-reduce moving 1.5 · 8192 · 2 B = 24.6 KB per GPU 160 times = 3.93 MB at 450 GB/s =
     * 8.7 µs; 1 / (1/24,960 + 8.7e-6) = 20.5k tok/s;
     * a_pf = (4·80·64·128 / 4 = 655,360 FLOPs per GPU) / (0.61 · 989.4e12) = 1.1e-9 s;
     * a_kv = (2·80·2·128·2 = 81,920 B per GPU) / (0.80 · 3.35 TB/s) = 3.1e-8 s.
     */
    public static final CostModel H100_70B_TP4 = new CostModel(2.8e-3, 13e-3, 20_500, 1.1e-9, 3.1e-8);

    /** Profiles by the name --profile takes, in the order --help lists them. */
    public static final Map<String, CostModel> PROFILES = profiles();

    private static Map<String, CostModel> profiles() {
        Map<String, CostModel> byName = new LinkedHashMap<>();
        byName.put("h100-8b", H100_8B);
        byName.put("a100-8b", A100_8B);
        byName.put("l40s-8b", L40S_8B);
        byName.put("h100-70b-tp4", H100_70B_TP4);
        return Collections.unmodifiableMap(byName);
    }

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
