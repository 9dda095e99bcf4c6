package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.drive.RequestResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputSweepTableTest {
    private static ResultFiles.Config config(int length, int round, String kind, double ttftMs, int cached) {
        RequestResult r = new RequestResult("id-" + length + "-" + round, true, 200, null, null, (long) (ttftMs * 1e6),
                new long[0], new int[] {1}, 50_000_000L, 1, 1, "length", length + 20, 1, cached, 0, "", 0);
        return new ResultFiles.Config(1, round, "input-sweep-L" + length + "-" + kind, length,
                RunSummary.of("run", List.of(r), 1.0), List.of(r), kind.equals("warm") ? 0.9 : 0.0);
    }

    @Test
    void mediansPerLengthAndTheirRatio() {
        List<ResultFiles.Config> configs = new ArrayList<>();
        double[][] ttft = {{100, 10}, {300, 12}, {120, 50}};
        for (int k = 0; k < 3; k++) {
            configs.add(config(4096, 3 * k + 1, "cold", ttft[k][0], 0));
            configs.add(config(4096, 3 * k + 2, "prewarm", 999, 0));
            configs.add(config(4096, 3 * k + 3, "warm", ttft[k][1], 4096));
        }
        RequestResult failed = new RequestResult("x", false, 503, "http_503", "busy", -1, new long[0], new int[0], 1, 0,
                0, null, null, null, null, 0, "", 0);
        configs.add(new ResultFiles.Config(1, 1, "input-sweep-L256-cold", 256, RunSummary.of("run", List.of(failed), 1),
                List.of(failed), null));
        configs.add(config(1024, 1, "cold", 30, 1008));
        configs.add(config(1024, 3, "warm", 10, 1008));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputSweepTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), configs);
        String text = bytes.toString(StandardCharsets.UTF_8);
        // Medians 120 and 12, the pre-warm rounds left out.
        assertTrue(text.matches("(?s).*\\n\\s+4096\\s+4116\\s+3\\s+120\\.00\\s+12\\.00\\s+10\\.00x\\s+4096\\s+90\\.0%\\n.*"), text);
        assertTrue(text.contains("3.00x        1008       90.0%  NOT COLD: cached tokens [1008] (prefix cache not reset?)"),
                text);
        assertTrue(text.matches("(?s).*\\n\\s+256\\s+-\\s+0\\s+-\\s+-\\s+-\\s+-\\s+-\\s+failed: \\[http_503\\]\\n.*"), text);
    }
}
