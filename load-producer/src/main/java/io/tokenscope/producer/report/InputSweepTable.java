package io.tokenscope.producer.report;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input-length sweep's table: per length, TTFT of the same prompt cold and after a
 * pre-warm request with its context, the speed-up, and how much of the warm prompt was
 * served from cache, by usage and by the server's /metrics.
 */
public final class InputSweepTable {
    private InputSweepTable() {}

    public static void print(PrintStream out, List<ResultFiles.Config> configs) {
        Map<Integer, ResultFiles.Config[]> byLength = new LinkedHashMap<>();
        for (ResultFiles.Config c : configs) {
            if (c.inputLength() > 0 && (c.round() == 1 || c.round() == 3)) {
                byLength.computeIfAbsent(c.inputLength(), l -> new ResultFiles.Config[2])[c.round() == 1 ? 0 : 1] = c;
            }
        }
        out.printf("%n%10s %11s %14s %14s %9s %13s %11s%n", "input len", "prompt tok", "cold TTFT ms",
                "warm TTFT ms", "speed-up", "cached tok", "server hit");
        for (Map.Entry<Integer, ResultFiles.Config[]> e : byLength.entrySet()) {
            ResultFiles.Config cold = e.getValue()[0], warm = e.getValue()[1];
            double coldTtft = ttft(cold), warmTtft = ttft(warm);
            out.printf("%10d %11s %14s %14s %9s %13s %11s%n", e.getKey(),
                    warm == null || warm.summary().promptTokens() == 0 ? "-" : String.valueOf(warm.summary().promptTokens()),
                    cell(coldTtft, cold), cell(warmTtft, warm),
                    Double.isNaN(coldTtft) || Double.isNaN(warmTtft) || warmTtft <= 0 ? "-"
                            : String.format("%.2fx", coldTtft / warmTtft),
                    warm == null || warm.summary().successes() == 0 ? "-" : String.valueOf(warm.summary().cachedTokens()),
                    warm == null || warm.serverHitRate() == null ? "-" : String.format("%.1f%%", 100 * warm.serverHitRate()));
        }
        out.println("(cold: prefix cache reset first; warm: the same prompt after a pre-warm request with the same "
                + "context and another question; cached tok from usage, server hit from /metrics)");
    }

    private static double ttft(ResultFiles.Config c) {
        return c == null ? Double.NaN : c.summary().ttft().p50();
    }

    /** The TTFT, or the error that kept the request from having one. */
    private static String cell(double ttftMs, ResultFiles.Config c) {
        if (!Double.isNaN(ttftMs)) {
            return String.format("%.2f", ttftMs);
        }
        return c == null || c.summary().errors().isEmpty() ? "-" : String.join("+", c.summary().errors().keySet());
    }
}
