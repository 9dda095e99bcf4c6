package io.tokenscope.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlanTest {
    @Test
    void inputSweepIsColdThenPrewarmThenWarmPerLength() {
        RunPlan plan = RunPlan.of(ProducerConfig.parse(new String[] {"--input-lengths", "64", "512", "--max-tokens", "4",
            "--sweep-repeats", "2"}));
        assertEquals(List.of(64, 512), plan.levels().stream().map(RunPlan.Level::inputLength).toList());
        for (RunPlan.Level level : plan.levels()) {
            assertEquals(1, level.concurrency());
            List<RunPlan.Round> r = level.rounds();
            String s = "input-sweep-L" + level.inputLength();
            assertEquals(List.of(s + "-cold", s + "-prewarm", s + "-warm", s + "-cold", s + "-prewarm", s + "-warm"),
                    r.stream().map(RunPlan.Round::scenario).toList());
            assertEquals(List.of(1, 2, 3, 4, 5, 6), r.stream().map(RunPlan.Round::round).toList(),
                    "distinct rounds, so every request id is distinct");
            assertEquals(r.get(0), new RunPlan.Round(1, r.get(3).scenario(), r.get(3).prompts(), true),
                    "a repeat is the same cold request");
            assertTrue(r.get(0).resetBefore() && r.get(1).resetBefore());
            assertFalse(r.get(2).resetBefore(), "warm follows the pre-warm request's cache");
            assertEquals(r.get(0).prompts(), r.get(2).prompts(), "the same prompt is measured cold and warm");
            assertNotEquals(r.get(0).prompts(), r.get(1).prompts());
            assertEquals(4, r.get(0).prompts().get(0).maxTokens());
        }
    }

    @Test
    void concurrencySweepKeepsItsPromptsAcrossRoundsAndResetsOnlyFirst() {
        RunPlan plan = RunPlan.of(ProducerConfig.parse(new String[] {"--concurrency", "1", "4", "--rounds", "2",
            "--requests", "6", "--reset-prefix-cache", "true", "--dataset", "random", "--random-input-len", "32"}));
        assertEquals(2, plan.levels().size());
        RunPlan.Level first = plan.levels().get(0);
        assertEquals(6, first.rounds().get(0).prompts().size());
        assertEquals(first.rounds().get(0).prompts(), first.rounds().get(1).prompts());
        assertTrue(first.rounds().get(0).resetBefore());
        assertFalse(first.rounds().get(1).resetBefore());
        assertNotEquals(first.rounds().get(0).prompts(), plan.levels().get(1).rounds().get(0).prompts(),
                "each level starts cold on prompts of its own");
    }
}
