package io.tokenscope.sim.metrics;

import io.tokenscope.sim.engine.Engine;
import java.util.concurrent.atomic.DoubleAdder;
import org.HdrHistogram.Recorder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator exposes on /metrics, in Prometheus text format under vLLM v1's metric
 * names and labels, so tools that scrape vLLM (our producer included) read it unchanged.
 * Latencies are measured at the socket: first token = first text chunk written, ITL = gap
 * between text chunk writes, end-to-end = last write, each from the request's arrival.
 * Recording is lock-free; it runs on the event loops.
 */
public final class ServerMetrics {
    /** A Prometheus histogram with fixed bucket bounds (seconds). */
    static final class Histogram {
        final double[] bounds;
        final LongAdder[] counts;
        final DoubleAdder sum = new DoubleAdder();
        final LongAdder count = new LongAdder();

        Histogram(double... bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) counts[i] = new LongAdder();
        }

        void observe(double seconds) {
            for (int i = 0; i < bounds.length; i++) {
                if (seconds <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            sum.add(seconds);
            count.increment();
        }

        void render(StringBuilder out, String name, String help, String labels) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(labels).append(",le=\"").append(bounds[i]).append("\"} ")
                        .append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count.sum()).append('\n');
            out.append(name).append("_count{").append(labels).append("} ").append(count.sum()).append('\n');
            out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
        }
    }

    // Bucket bounds as vLLM v1 declares them for these histograms.
    private final Histogram ttft = new Histogram(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);
    private final Histogram itl = new Histogram(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5,
            5.0, 7.5, 10.0, 20.0, 40.0, 80.0);
    private final Histogram e2e = new Histogram(0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0,
            50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0);
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder generationTokens = new LongAdder();
    /** vLLM v1's FinishReason strings: it creates a request_success series for each up front. */
    public static final java.util.List<String> FINISH_REASONS = java.util.List.of("stop", "length", "abort", "error",
            "repetition");
    private final LongAdder[] finishedBy = new LongAdder[FINISH_REASONS.size()];
    private final LongAdder cachedPromptTokens = new LongAdder();
    private final String model;
    // How late each chunk left against the time its token was due: the simulator's own error.
    private final Recorder lateness = new Recorder(3);
    private final Histogram latenessBuckets = new Histogram(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 1.0);

    public ServerMetrics(String model) {
        this.model = model;
        for (int i = 0; i < finishedBy.length; i++) finishedBy[i] = new LongAdder();
    }

    public void firstToken(double seconds) {
        ttft.observe(seconds);
    }

    public void interToken(double seconds) {
        itl.observe(seconds);
    }

    public void sent(long dueNs, long sentNs) {
        long late = Math.max(0, sentNs - dueNs);
        lateness.recordValue(late / 1000);
        latenessBuckets.observe(late / 1e9);
    }

    /** Send lateness (µs) since the previous call; for benchmarks. */
    public org.HdrHistogram.Histogram latenessSinceLastCall() {
        return lateness.getIntervalHistogram();
    }

    /** reason: one of {@link #FINISH_REASONS}. */
    public void finished(double seconds, int prompt, int generated, int cached, String reason) {
        int i = FINISH_REASONS.indexOf(reason);
        if (i < 0) throw new IllegalArgumentException("finish reason '" + reason + "' is not one of " + FINISH_REASONS);
        e2e.observe(seconds);
        promptTokens.add(prompt);
        generationTokens.add(generated);
        cachedPromptTokens.add(cached);
        finishedBy[i].increment();
    }

    /** The exposition; snapshot is null for the fixed engine, which has no queue or cache. */
    public String render(Engine.Snapshot snapshot) {
        String labels = "engine=\"0\",model_name=\"" + model.replace("\"", "\\\"") + "\"";
        StringBuilder out = new StringBuilder(8192);
        Engine.Snapshot s = snapshot != null ? snapshot : new Engine.Snapshot(0, 0, 0, 0, 0, 0, 0);
        gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", labels, s.running());
        gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, s.waiting());
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, s.kvUsage());
        counter(out, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
                labels, s.prefixQueries());
        counter(out, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.", labels,
                s.prefixHits());
        counter(out, "vllm:num_preemptions", "Cumulative number of preemption from the engine.", labels,
                s.preemptions());
        counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", labels, promptTokens.sum());
        counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", labels,
                generationTokens.sum());
        out.append("# HELP vllm:request_success_total Count of successfully processed requests.\n");
        out.append("# TYPE vllm:request_success_total counter\n");
        for (int i = 0; i < finishedBy.length; i++) {
            out.append("vllm:request_success_total{").append(labels).append(",finished_reason=\"")
                    .append(FINISH_REASONS.get(i)).append("\"} ").append(finishedBy[i].sum()).append('\n');
        }
        ttft.render(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels);
        itl.render(out, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", labels);
        // Older vLLM v1 releases name the same histogram this way; scrapers of either find it.
        itl.render(out, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.",
                labels);
        e2e.render(out, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels);
        latenessBuckets.render(out, "tokenscope_sim:send_lateness_seconds",
                "How late each chunk was written against the time its token was due.", labels);
        double hitRate = s.prefixQueries() == 0 ? 0 : (double) s.prefixHits() / s.prefixQueries();
        gauge(out, "lmcache:retrieve_hit_rate", "Hit rate of prefix lookups, LMCache-style (hit tokens / queried tokens).",
                "model_name=\"" + model.replace("\"", "\\\"") + "\"", hitRate);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, String labels, long value) {
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n');
        out.append("# TYPE ").append(name).append("_total counter\n");
        out.append(name).append("_total{").append(labels).append("} ").append(value).append('\n');
    }
}
