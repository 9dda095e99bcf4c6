package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.drive.RequestResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static RequestResult success(double ttftMs, long[] gapsMs, int completionTokens, Integer promptTokens) {
        return success(ttftMs, gapsMs, completionTokens, promptTokens, null);
    }

    /** A success of the given chunk gaps (ms) and tokens by usage; prompt and cached tokens may be unknown. */
    private static RequestResult success(double ttftMs, long[] gapsMs, int completionTokens, Integer promptTokens,
                                         Integer cachedTokens) {
        long[] gapsNs = new long[gapsMs.length];
        long e2eNs = (long) (ttftMs * 1e6);
        for (int i = 0; i < gapsMs.length; i++) {
            gapsNs[i] = gapsMs[i] * 1_000_000L;
            e2eNs += gapsNs[i];
        }
        return new RequestResult("id", true, 200, null, null, (long) (ttftMs * 1e6), gapsNs, new int[gapsMs.length + 1],
                e2eNs, gapsMs.length + 1, gapsMs.length + 1, "length", promptTokens, completionTokens, cachedTokens, 0, "", 0);
    }

    @Test
    void tpotCountsEveryAnswerOfMoreThanOneTokenAsVllmsBenchDoes() {
        // 5 tokens in one chunk: TPOT 0. 3 tokens in chunks 10 ms apart: (20 ms) / 2 = 10 ms.
        RunSummary s = RunSummary.of("r", List.of(success(50, new long[0], 5, 100),
                success(50, new long[] {10, 10}, 3, 100), success(50, new long[0], 1, 100)), 1.0);
        assertEquals(2, s.tpot().count(), "a one-token answer has no TPOT");
        assertEquals(0.0, s.tpot().min(), 1e-9);
        assertEquals(10.0, s.tpot().max(), 1e-9);
        assertEquals(5.0, s.tpot().p50(), 1e-9, "interpolated between the two");
    }

    @Test
    void theReportSaysWhenTheServerLeftPromptTokensOut() {
        RunSummary s = RunSummary.of("r", List.of(success(50, new long[0], 2, 1000), success(50, new long[0], 2, null)),
                1.0);
        assertEquals(1000, s.promptTokens());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        s.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("1000 (the server reported them for 1 of 2 successes)"),
                text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSuccessWithoutCachedTokensCountsAsNoneCachedAndNoReportAtAllIsUnknown() {
        // vLLM leaves prompt_tokens_details out when nothing was cached.
        RunSummary mixed = RunSummary.of("r", List.of(success(50, new long[0], 2, 1000, 800),
                success(50, new long[0], 2, 1000, null)), 1.0);
        assertEquals(0.4, mixed.usageHitRate(), 1e-12);
        RunSummary none = RunSummary.of("r", List.of(success(50, new long[0], 2, 1000, null)), 1.0);
        assertEquals(null, none.usageHitRate());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        none.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("Cached prompt tokens:        unknown"),
                text.toString(StandardCharsets.UTF_8));
        // One chunk, so no gap: the ITL row shows dashes, not NaN.
        assertFalse(text.toString(StandardCharsets.UTF_8).contains("NaN"), text.toString(StandardCharsets.UTF_8));
    }
}
