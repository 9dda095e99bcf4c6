package io.tokenscope.sim;

import io.tokenscope.cli.Flags;
import io.tokenscope.sim.engine.CostModel;
import io.tokenscope.sim.fault.FaultPlan;
import io.tokenscope.sim.wire.WireStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the simulator is told at start-up, validated once. Errors name the flag.
 *
 * @param engine       "vllm": a vLLM v1-style scheduler and cost model in simulated time;
 *                     "fixed": every request on the same schedule (ttftMs, then itlMs per token)
 * @param outputTokens tokens generated per request, capped by max_tokens; 0 means max_tokens
 * @param cacheReport  the final usage names the cached prompt tokens, as vLLM does with
 *                     --enable-prompt-tokens-details and SGLang with --enable-cache-report
 */
public record SimConfig(String host, int port, String model, int defaultMaxTokens, int eventLoops, String engine,
                        double ttftMs, double itlMs, int outputTokens, int streamInterval, int maxNumSeqs,
                        int maxBatchedTokens, int kvCacheTokens, int blockSize, CostModel cost, FaultPlan faults,
                        String groundTruth, WireStyle wire, int spinUs, int realtimePriority, boolean cacheReport) {

    public static final String USAGE = """
            llm-sim: an OpenAI-compatible streaming endpoint simulator (vLLM wire format)
              --host H                     listen address (default 127.0.0.1)
              --port N                     listen port (default 8000; 0 picks a free one)
              --model NAME                 model id served on /v1/models (default sim-llama-8b)
              --default-max-tokens N       when a request gives no max_tokens (default 64)
              --output-tokens N            tokens per response, capped by max_tokens; 0 = max_tokens (default 0)
              --stream-interval K          tokens merged into one chunk after the first (default 1)
              --event-loops N              I/O threads (default: cores)
              --realtime-priority P        run the I/O and engine threads as SCHED_FIFO P (1-99; needs
                                           root or CAP_SYS_NICE): send times stay sharp on a busy host (default off)
              --wire vllm|sglang|llamacpp|tgi|stress  SSE framing of that server; stress = every quirk (default vllm)
              --cache-report true|false    usage.prompt_tokens_details.cached_tokens in the final usage, as
                                           vLLM --enable-prompt-tokens-details / SGLang --enable-cache-report
                                           give it (default true; both servers default to off)
              --config FILE.yaml           any of these flags as YAML keys (max_num_seqs: 256, a_pf: 9e-10);
                                           flags on the command line win
              --engine vllm|fixed          scheduler model (default vllm)
            fixed engine:
              --ttft-ms X                  time to first token (default 50)
              --itl-ms X                   time between tokens (default 10)
              --spin-us N                  wake N µs early and spin to the due time: sharper send
                                           times for a few streams, wasted CPU for many (default 0)
            vllm engine:
              --max-num-seqs N             running requests at most (default 1024)
              --max-num-batched-tokens N   tokens per step at most (default 8192)
              --kv-cache-tokens N          KV pool size in tokens (default 400000)
              --block-size N               prefix-cache block size in tokens (default 16)
              --profile NAME               cost model of a model on a GPU: h100-8b (default), a100-8b,
                                           l40s-8b, h100-70b-tp4 (Llama-3.1 bf16; 70b on 4 GPUs)
              --t-ovh-ms X  --t-w-ms X  --tokens-per-s R  --a-pf S  --a-kv S   override one cost term
            faults and evidence:
              --fault-every N=SPEC         every N-th request gets fault SPEC (repeatable)
              --fault-rate SPEC=P          each request gets fault SPEC with probability P (repeatable)
              --seed N                     seed for --fault-rate draws (default 1)
                SPEC is kind[@token][:ms]: http_400 http_422 http_424 http_429 http_500 http_503 error_event reset
                stall malformed no_done large_chunk drip; a request's x-sim-fault header overrides
              --ground-truth FILE          CSV of every chunk sent, with its send time
            """;

    public SimConfig {
        List<String> errors = new ArrayList<>();
        if (port < 0 || port > 65535) errors.add("--port must be 0..65535, got " + port);
        if (model == null || model.isBlank()) errors.add("--model must not be empty");
        if (defaultMaxTokens < 1) errors.add("--default-max-tokens must be >= 1, got " + defaultMaxTokens);
        if (eventLoops < 1) errors.add("--event-loops must be >= 1, got " + eventLoops);
        if (!engine.equals("vllm") && !engine.equals("fixed")) errors.add("--engine must be vllm or fixed, got '" + engine + "'");
        if (!(ttftMs >= 0)) errors.add("--ttft-ms must be >= 0, got " + ttftMs);
        if (!(itlMs >= 0)) errors.add("--itl-ms must be >= 0, got " + itlMs);
        if (outputTokens < 0) errors.add("--output-tokens must be >= 0, got " + outputTokens);
        if (streamInterval < 1) errors.add("--stream-interval must be >= 1, got " + streamInterval);
        if (maxNumSeqs < 1) errors.add("--max-num-seqs must be >= 1, got " + maxNumSeqs);
        if (maxBatchedTokens < 1) errors.add("--max-num-batched-tokens must be >= 1, got " + maxBatchedTokens);
        if (spinUs < 0 || spinUs > 5000) errors.add("--spin-us must be 0..5000, got " + spinUs);
        if (realtimePriority < 0 || realtimePriority > 99) {
            errors.add("--realtime-priority must be 1..99, or 0 for off, got " + realtimePriority);
        }
        if (blockSize < 1) errors.add("--block-size must be >= 1, got " + blockSize);
        if (kvCacheTokens < blockSize) errors.add("--kv-cache-tokens must hold at least one block, got " + kvCacheTokens);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
    }

    public static SimConfig defaults() {
        return parse(new String[0]);
    }

    public SimConfig withPort(int newPort) {
        return new SimConfig(host, newPort, model, defaultMaxTokens, eventLoops, engine, ttftMs, itlMs, outputTokens,
                streamInterval, maxNumSeqs, maxBatchedTokens, kvCacheTokens, blockSize, cost, faults, groundTruth, wire, spinUs,
                realtimePriority, cacheReport);
    }

    public int tokensFor(int maxTokens) {
        return outputTokens == 0 ? maxTokens : Math.min(outputTokens, maxTokens);
    }

    public static SimConfig parse(String[] args) {
        return parseFlags(withConfigFile(args));
    }

    /** Expands --config FILE into flags placed before the command line's own, so those win. */
    static String[] withConfigFile(String[] args) {
        List<String> fromFile = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                fromFile.addAll(YamlFlags.read(java.nio.file.Path.of(args[++i])));
            } else {
                rest.add(args[i]);
            }
        }
        fromFile.addAll(rest);
        return fromFile.toArray(String[]::new);
    }

    private static final java.util.Set<String> FLAGS = java.util.Set.of("--host", "--port", "--model",
            "--default-max-tokens", "--output-tokens", "--stream-interval", "--event-loops", "--engine", "--ttft-ms",
            "--itl-ms", "--max-num-seqs", "--max-num-batched-tokens", "--kv-cache-tokens", "--block-size", "--profile",
            "--t-ovh-ms", "--t-w-ms", "--tokens-per-s", "--a-pf", "--a-kv", "--fault-every", "--fault-rate", "--seed",
            "--ground-truth", "--wire", "--spin-us", "--realtime-priority", "--cache-report");

    private static SimConfig parseFlags(String[] args) {
        Flags f = Flags.parse(args, USAGE, FLAGS);
        String profile = f.text("--profile", "h100-8b");
        Double tOvh = f.numberOrNull("--t-ovh-ms"), tW = f.numberOrNull("--t-w-ms");
        Double r = f.numberOrNull("--tokens-per-s"), aPf = f.numberOrNull("--a-pf"), aKv = f.numberOrNull("--a-kv");
        if (tOvh != null) tOvh /= 1000;
        if (tW != null) tW /= 1000;
        CostModel base = CostModel.PROFILES.get(profile);
        if (base == null) {
            throw new IllegalArgumentException("--profile must be one of " + String.join(", ", CostModel.PROFILES.keySet()) + ", got '" + profile + "'");
        }
        CostModel cost;
        try {
            cost = new CostModel(tOvh != null ? tOvh : base.overheadS(), tW != null ? tW : base.weightsS(),
                    r != null ? r : base.tokensPerS(), aPf != null ? aPf : base.prefillPairS(),
                    aKv != null ? aKv : base.kvTokenS());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--t-ovh-ms, --t-w-ms, --a-pf, --a-kv must be >= 0 and --tokens-per-s > 0");
        }
        FaultPlan faults = new FaultPlan(f.whole("--seed", 1));
        f.all("--fault-every").forEach(faults::addEvery);
        f.all("--fault-rate").forEach(faults::addRate);
        return new SimConfig(f.text("--host", "127.0.0.1"), f.whole("--port", 8000), f.text("--model", "sim-llama-8b"),
                f.whole("--default-max-tokens", 64), f.whole("--event-loops", Runtime.getRuntime().availableProcessors()),
                f.text("--engine", "vllm"), f.number("--ttft-ms", 50), f.number("--itl-ms", 10),
                f.whole("--output-tokens", 0), f.whole("--stream-interval", 1), f.whole("--max-num-seqs", 1024),
                f.whole("--max-num-batched-tokens", 8192), f.whole("--kv-cache-tokens", 400_000),
                f.whole("--block-size", 16), cost, faults, f.text("--ground-truth", null),
                WireStyle.named(f.text("--wire", "vllm")), f.whole("--spin-us", 0),
                f.whole("--realtime-priority", 0), f.bool("--cache-report", true));
    }
}
