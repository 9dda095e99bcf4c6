package io.tokenscope.producer.report;

import io.tokenscope.producer.drive.RequestResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input-length sweep's table: per length, the median TTFT of the same prompt cold and
 * after a pre-warm request with its context, the speed-up between the medians, and how much
 * of the warm prompt was served from cache, by usage and by the server's /metrics. Rounds are
 * told apart by their scenario's ending, -cold or -warm, the names their events carry.
 */
public final class InputSweepTable {
    private InputSweepTable() {}

    /** One length's samples. */
    private record Row(List<Double> cold, List<Double> warm, List<Integer> cached, List<Integer> prompt,
                       List<Double> serverHit, List<String> errors, List<Integer> coldCached) {
        Row() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>());
        }
    }

    public static void print(PrintStream out, List<ResultFiles.Config> configs) {
        Map<Integer, Row> rows = new LinkedHashMap<>();
        for (ResultFiles.Config c : configs) {
            boolean cold = c.scenario().endsWith("-cold"), warm = c.scenario().endsWith("-warm");
            if (c.inputLength() == 0 || !(cold || warm)) {
                continue;
            }
            Row row = rows.computeIfAbsent(c.inputLength(), l -> new Row());
            for (RequestResult r : c.results()) {
                if (!r.ok()) {
                    row.errors().add(r.errorClass());
                    continue;
                }
                (cold ? row.cold() : row.warm()).add(r.ttftNs() / 1e6);
                if (cold && r.cachedTokens() != null && r.cachedTokens() > 0) {
                    row.coldCached().add(r.cachedTokens());
                }
                if (warm) {
                    row.cached().add(r.cachedTokens() == null ? 0 : r.cachedTokens());
                    if (r.promptTokens() != null) row.prompt().add(r.promptTokens());
                }
            }
            if (warm && c.serverHitRate() != null) {
                row.serverHit().add(c.serverHitRate());
            }
        }
        out.printf("%n%10s %11s %3s %14s %14s %9s %11s %11s%n", "input len", "prompt tok", "n", "cold TTFT ms",
                "warm TTFT ms", "speed-up", "cached tok", "server hit");
        for (Map.Entry<Integer, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            double cold = median(r.cold()), warm = median(r.warm());
            out.printf("%10d %11s %3d %14s %14s %9s %11s %11s%s%n", e.getKey(), r.prompt().isEmpty() ? "-"
                            : String.valueOf(r.prompt().get(0)), Math.min(r.cold().size(), r.warm().size()),
                    Double.isNaN(cold) ? "-" : String.format("%.2f", cold), Double.isNaN(warm) ? "-" : String.format("%.2f", warm),
                    Double.isNaN(cold) || Double.isNaN(warm) || warm <= 0 ? "-" : String.format("%.2fx", cold / warm),
                    r.cached().isEmpty() ? "-" : String.format("%.0f", median(r.cached())),
                    r.serverHit().isEmpty() ? "-" : String.format("%.1f%%", 100 * median(r.serverHit())),
                    (r.errors().isEmpty() ? "" : "  failed: " + r.errors())
                            // A server that ignored the reset makes "cold" warm; say so rather than show a false speed-up.
                            + (r.coldCached().isEmpty() ? "" : "  NOT COLD: cached tokens " + r.coldCached()
                                    + " (prefix cache not reset?)"));
        }
        out.println("(medians over n samples; cold: prefix cache reset first; warm: the same prompt after a pre-warm "
                + "request with the same context and another question; cached tok from usage, server hit from /metrics)");
    }

    private static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return Stats.percentile(values.stream().mapToDouble(Number::doubleValue).sorted().toArray(), 50);
    }
}
