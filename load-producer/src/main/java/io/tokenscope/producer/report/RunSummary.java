package io.tokenscope.producer.report;

import io.tokenscope.producer.ProducerConfig;
import io.tokenscope.producer.drive.RequestResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per-run figures as a serving engineer reads them, computed from the client's own measurements. */
public record RunSummary(String runId, int requests, int successes, Map<String, Integer> errors, double durationS,
                         long outputTokens, long promptTokens, int promptReported, long cachedTokens, int cachedReported, Stats ttft, Stats itl, Stats tpot,
                         Stats e2e, Stats scheduleLag, Stats ttftFromIntended, Slo slo, int goodRequests,
                         Sentiment sentiment, Stats itlPerToken) {

    public static RunSummary of(String runId, List<RequestResult> results, double durationS) {
        return of(runId, results, durationS, null);
    }

    public static RunSummary of(String runId, List<RequestResult> results, double durationS, Slo slo) {
        int good = slo == null ? 0 : (int) results.stream().filter(slo::met).count();
        Map<String, Integer> errors = new TreeMap<>();
        int ok = 0;
        long out = 0, prompt = 0, cached = 0;
        int promptReported = 0, cachedReported = 0;
        int gapCount = 0;
        for (RequestResult r : results) {
            gapCount += r.gapsNs().length;
        }
        double[] ttft = new double[results.size()];
        double[] tpot = new double[results.size()];
        double[] e2e = new double[results.size()];
        double[] itl = new double[gapCount];
        double[] lag = new double[results.size()];
        double[] ttftIntended = new double[results.size()];
        int nLag = 0;
        List<Double> perToken = new java.util.ArrayList<>();
        int nTtft = 0, nTpot = 0, nE2e = 0, nItl = 0;
        for (RequestResult r : results) {
            // Every request's lag, failures too: under overload the longest-held ones are the
            // ones that time out, and leaving them out would flatter the schedule.
            lag[nLag++] = r.scheduleLagNs() / 1e6;
            if (!r.ok()) {
                errors.merge(r.errorClass(), 1, Integer::sum);
                continue;
            }
            ok++;
            out += r.effectiveOutputTokens();
            if (r.promptTokens() != null) {
                prompt += r.promptTokens();
                promptReported++;
            }
            if (r.cachedTokens() != null) {
                cached += r.cachedTokens();
                cachedReported++;
            }
            e2e[nE2e++] = r.endNs() / 1e6;
            if (r.ttftNs() >= 0) {
                ttftIntended[nTtft] = (r.ttftNs() + r.scheduleLagNs()) / 1e6;
                ttft[nTtft++] = r.ttftNs() / 1e6;
                int tokens = r.effectiveOutputTokens();
                // As vLLM's bench: every success of more than one token, even one whose tokens all
                // came in a single chunk (a TPOT of 0).
                if (tokens > 1) {
                    long lastNs = r.ttftNs();
                    for (long g : r.gapsNs()) lastNs += g;
                    tpot[nTpot++] = (lastNs - r.ttftNs()) / 1e6 / (tokens - 1);
                }
            }
            for (int k = 0; k < r.gapsNs().length; k++) {
                long g = r.gapsNs()[k];
                itl[nItl++] = g / 1e6;
                // A gap ends in a chunk of t tokens: t inter-token intervals of gap / t each.
                int t = k + 1 < r.chunkTokens().length ? Math.max(1, r.chunkTokens()[k + 1]) : 1;
                for (int j = 0; j < t; j++) perToken.add(g / 1e6 / t);
            }
        }
        return new RunSummary(runId, results.size(), ok, errors, durationS, out, prompt, promptReported, cached, cachedReported,
                Stats.ofMillis(java.util.Arrays.copyOf(ttft, nTtft)), Stats.ofMillis(java.util.Arrays.copyOf(itl, nItl)),
                Stats.ofMillis(java.util.Arrays.copyOf(tpot, nTpot)), Stats.ofMillis(java.util.Arrays.copyOf(e2e, nE2e)),
                Stats.ofMillis(java.util.Arrays.copyOf(lag, nLag)), Stats.ofMillis(java.util.Arrays.copyOf(ttftIntended, nTtft)),
                slo, good, Sentiment.NONE, Stats.ofMillis(perToken.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    public RunSummary withSentiment(Sentiment score) {
        return new RunSummary(runId, requests, successes, errors, durationS, outputTokens, promptTokens, promptReported,
                cachedTokens, cachedReported,
                ttft, itl, tpot, e2e, scheduleLag, ttftFromIntended, slo, goodRequests, score, itlPerToken);
    }

    public double requestsPerS() {
        return durationS > 0 ? successes / durationS : 0;
    }

    public double outputTokensPerS() {
        return durationS > 0 ? outputTokens / durationS : 0;
    }

    /**
     * Cached over prompt tokens of the successes, a success without cached tokens counting as 0
     * (vLLM leaves the field out when nothing was cached); null when none reported any, since a
     * server may not report them at all.
     */
    public Double usageHitRate() {
        return cachedReported == 0 || promptTokens == 0 ? null : (double) cachedTokens / promptTokens;
    }

    public double totalTokensPerS() {
        return durationS > 0 ? (outputTokens + promptTokens) / durationS : 0;
    }

    public void print(PrintStream out) {
        out.printf("%n==================== run %s ====================%n", runId);
        out.printf("%-28s %d%n", "Requests sent:", requests);
        out.printf("%-28s %d%n", "Successful:", successes);
        out.printf("%-28s %s%n", "Failed:", errors.isEmpty() ? "0" : errors.toString());
        out.printf("%-28s %.3f%s%n", "Duration (s):", durationS, durationS < 1
                ? " (under a second: the rates below are rough; send more requests for steadier ones)" : "");
        out.printf("%-28s %d%s%n", "Prompt tokens:", promptTokens, promptReported == successes ? ""
                : String.format(" (the server reported them for %d of %d successes)", promptReported, successes));
        out.printf("%-28s %d%n", "Output tokens:", outputTokens);
        Double hitRate = usageHitRate();
        out.printf("%-28s %s%n", "Cached prompt tokens:", hitRate == null
                ? "unknown (no success reported usage.prompt_tokens_details.cached_tokens)"
                : String.format("%d (%.1f%% of prompt)", cachedTokens, 100 * hitRate));
        out.printf("%-28s %.2f%n", "Request throughput (req/s):", requestsPerS());
        if (sentiment.labels() > 0) {
            out.printf("%-28s %.1f%% (%d of %d labels)%n", "Sentiment accuracy:", 100 * sentiment.accuracy(),
                    sentiment.correct(), sentiment.labels());
        }
        if (slo != null) {
            out.printf("%-28s %.2f (%d of %d requests meet %s)%n", "Goodput (req/s):",
                    durationS > 0 ? goodRequests / durationS : 0, goodRequests, requests, slo);
        }
        out.printf("%-28s %.1f%n", "Output tokens/s:", outputTokensPerS());
        out.printf("%-28s %.1f%n", "Total tokens/s:", totalTokensPerS());
        out.printf("%n%-10s %9s %9s %9s %9s %9s %9s %9s%n", "(ms)", "mean", "p50", "p90", "p99", "min", "max", "stddev");
        row(out, "TTFT", ttft);
        row(out, "ITL", itl);
        if (itlPerToken.count() != itl.count()) {
            row(out, "ITL/token", itlPerToken);
        }
        row(out, "TPOT", tpot);
        row(out, "E2E", e2e);
        if (scheduleLag.count() > 0 && scheduleLag.max() > 0) {
            // Open loop with a cap: requests that waited for a slot were late; from their intended
            // start, latency is what a user arriving on schedule saw.
            row(out, "Lag", scheduleLag);
            row(out, "TTFT*", ttftFromIntended);
            out.println("(Lag: how late requests were sent against the arrival schedule, failures included; TTFT*: TTFT from the "
                    + "intended start)");
        }
    }

    /**
     * One line per (concurrency, round), as the Dual Round Benchmarker prints them; with
     * several rounds, each later round's TTFT against round 1 at the same concurrency.
     */
    public static void printComparison(PrintStream out, List<ResultFiles.Config> configs) {
        out.printf("%n(latencies in ms; hit rate: cached over prompt tokens from usage; server hit: from its /metrics; "
                + "vs r1: round 1's TTFT p50 over this round's)");
        out.printf("%n%-11s %-5s %6s %7s %10s %10s %10s %10s %12s %10s %10s %9s%n", "concurrency", "round", "ok",
                "errors", "TTFT p50", "TTFT p99", "ITL p50", "TPOT p50", "out tok/s", "hit rate", "server hit", "vs r1");
        Map<Integer, Double> firstRound = new java.util.HashMap<>();
        for (ResultFiles.Config c : configs) {
            RunSummary s = c.summary();
            firstRound.putIfAbsent(c.concurrency(), s.ttft().p50());
            double base = firstRound.get(c.concurrency());
            String speedup = c.round() == configs.get(0).round() || Double.isNaN(base) || s.ttft().p50() <= 0 ? ""
                    : String.format("%.2fx", base / s.ttft().p50());
            String server = c.serverHitRate() == null ? "-" : String.format("%.1f%%", 100 * c.serverHitRate());
            out.printf("%-11s %-5d %6d %7d %10s %10s %10s %10s %12.1f %10s %10s %9s%n",
                    ProducerConfig.concurrencyLabel(c.concurrency()),
                    c.round(), s.successes(), s.requests() - s.successes(), ms(s.ttft().p50()), ms(s.ttft().p99()),
                    ms(s.itl().p50()), ms(s.tpot().p50()), s.outputTokensPerS(),
                    s.usageHitRate() == null ? "-" : String.format("%.1f%%", 100 * s.usageHitRate()), server, speedup);
        }
    }

    /** A latency for a table cell; "-" when there was nothing to measure (one-token answers have no ITL). */
    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    private static void row(PrintStream out, String name, Stats s) {
        out.printf("%-10s %9s %9s %9s %9s %9s %9s %9s%n", name, ms(s.mean()), ms(s.p50()), ms(s.p90()), ms(s.p99()),
                ms(s.min()), ms(s.max()), ms(s.stddev()));
    }
}
