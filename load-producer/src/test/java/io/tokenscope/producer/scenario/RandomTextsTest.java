package io.tokenscope.producer.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.sim.text.Tokenizer;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lengths are checked with the simulator's own tokenizer, the sense the producer's lengths are meant in. */
class RandomTextsTest {
    @Test
    void nWordsAreNSimulatorTokens() {
        for (int n : new int[] {1, 16, 1000}) {
            assertEquals(n, Tokenizer.count(RandomTexts.words(new SplittableRandom(n), n)));
        }
    }

    @Test
    void fixedLengthsWithRatioZero() {
        List<Prompt> prompts = RandomTexts.prompts(20, new RandomTexts.Shape(300, 40, 0, 0), 7);
        assertEquals(20, prompts.size());
        for (Prompt p : prompts) {
            assertEquals(300, Tokenizer.count(p.text()));
            assertEquals(40, p.maxTokens());
        }
        assertEquals(20, new HashSet<>(prompts.stream().map(Prompt::text).toList()).size(), "every prompt differs");
        assertNotEquals(prompts.get(0).text().split(" ")[0] + prompts.get(0).text().split(" ")[1],
                prompts.get(1).text().split(" ")[0] + prompts.get(1).text().split(" ")[1],
                "prompts differ from their first tokens, so none is a cache hit for another");
    }

    @Test
    void rangeRatioSpreadsLengthsWithinVllmsBounds() {
        RandomTexts.Shape shape = new RandomTexts.Shape(100, 10, 0.5, 0);
        assertEquals(50, shape.inputLow());
        assertEquals(150, shape.inputHigh());
        assertEquals(5, shape.outputLow());
        assertEquals(15, shape.outputHigh());
        List<Prompt> prompts = RandomTexts.prompts(400, shape, 1);
        int min = Integer.MAX_VALUE, max = 0;
        for (Prompt p : prompts) {
            int n = Tokenizer.count(p.text());
            min = Math.min(min, n);
            max = Math.max(max, n);
            assertTrue(p.maxTokens() >= 5 && p.maxTokens() <= 15, "output " + p.maxTokens());
        }
        assertTrue(min >= 50 && min < 60 && max <= 150 && max > 140, min + ".." + max);
        assertEquals(1, new RandomTexts.Shape(10, 1, 0.9, 0).outputLow(), "never fewer than one output token");
    }

    @Test
    void sharedPrefixAndSeedDeterminism() {
        RandomTexts.Shape shape = new RandomTexts.Shape(50, 8, 0.2, 64);
        List<Prompt> a = RandomTexts.prompts(10, shape, 42);
        assertEquals(a, RandomTexts.prompts(10, shape, 42), "same seed, same prompts");
        assertNotEquals(a, RandomTexts.prompts(10, shape, 43));
        String prefix = String.join(" ", List.of(a.get(0).text().split(" ")).subList(0, 64));
        for (Prompt p : a) {
            assertTrue(p.text().startsWith(prefix + " "), "shares the 64-token prefix");
            int total = Tokenizer.count(p.text());
            assertTrue(total >= 64 + 40 && total <= 64 + 60, "prefix + [40, 60] tokens, got " + total);
        }
    }

    @Test
    void inputSweepPromptsShareTheirContextOnly() {
        InputSweep.Pair p = InputSweep.prompts(256, 4, 42);
        String measured = p.measured().text(), prewarm = p.prewarm().text();
        String context = measured.substring(0, measured.indexOf("\n\nQuestion"));
        assertEquals(256, Tokenizer.count(context));
        assertTrue(prewarm.startsWith(context + "\n\nQuestion"));
        assertNotEquals(measured, prewarm);
        assertNotEquals(context, InputSweep.prompts(1024, 4, 42).measured().text().substring(0, context.length()),
                "each length has a context of its own");
    }
}
