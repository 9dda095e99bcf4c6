package io.tokenscope.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final CostModel COST = CostModel.H100_8B;

    private static Sequence seq(long id, int promptTokens, int output) {
        return new Sequence(id, IntStream.range(0, promptTokens).toArray(), output, 16);
    }

    /** Runs steps until the sequence finishes; returns the number of steps. */
    private static int runToEnd(Scheduler s, Sequence target) {
        int steps = 0;
        while (!target.finished()) {
            s.complete(s.schedule());
            steps++;
        }
        return steps;
    }

    @Test
    void repeatedThousandTokenPromptHits992Tokens() {
        Scheduler s = new Scheduler(1024, 8192, 16, 25_000, COST);
        Sequence first = seq(1, 1000, 1);
        s.add(first);
        runToEnd(s, first);
        assertEquals(0, first.cachedTokens());
        Sequence again = seq(2, 1000, 1);
        s.add(again);
        runToEnd(s, again);
        assertEquals(992, again.cachedTokens());
        assertEquals(2000, s.prefixQueries());
        assertEquals(992, s.prefixHits());
    }

    @Test
    void resettingThePrefixCacheMakesTheNextRequestCold() {
        Scheduler s = new Scheduler(1024, 8192, 16, 25_000, COST);
        Sequence first = seq(1, 1000, 1);
        s.add(first);
        runToEnd(s, first);
        s.resetPrefixCache();
        Sequence again = seq(2, 1000, 1);
        s.add(again);
        runToEnd(s, again);
        assertEquals(0, again.cachedTokens());
    }

    @Test
    void aFullyCachedPromptStillRecomputesItsLastToken() {
        Scheduler s = new Scheduler(1024, 8192, 16, 1000, COST);
        Sequence first = seq(1, 32, 1);
        s.add(first);
        runToEnd(s, first);
        Sequence again = seq(2, 32, 1);
        s.add(again);
        Scheduler.Step step = s.schedule();
        assertEquals(16, again.cachedTokens(), "at most prompt_len - 1 tokens hit, in whole blocks");
        assertEquals(16, step.work().get(0).tokens());
    }

    @Test
    void decodesComeFirstThenPrefillFillsTheBudgetInChunks() {
        Scheduler s = new Scheduler(1024, 100, 16, 1000, COST);
        Sequence a = seq(1, 10, 5);
        s.add(a);
        s.complete(s.schedule()); // a prefilled, first token out
        Sequence b = seq(2, 250, 2);
        s.add(b);
        Scheduler.Step step = s.schedule();
        assertEquals(List.of(new Scheduler.Work(a, 1), new Scheduler.Work(b, 99)), step.work());
        assertEquals(100, step.batchTokens());
        s.complete(step);
        step = s.schedule();
        assertEquals(List.of(new Scheduler.Work(a, 1), new Scheduler.Work(b, 99)), step.work());
        s.complete(step);
        step = s.schedule();
        assertEquals(new Scheduler.Work(b, 52), step.work().get(1), "the rest of the prompt");
        List<Scheduler.Emission> out = s.complete(step);
        assertTrue(out.stream().anyMatch(e -> e.seq() == b && e.first()), "b's first token at the end of its prefill");
    }

    @Test
    void maxNumSeqsCapsTheRunningBatch() {
        Scheduler s = new Scheduler(2, 8192, 16, 1000, COST);
        for (int i = 0; i < 5; i++) s.add(seq(i, 20, 10));
        s.complete(s.schedule());
        assertEquals(2, s.running());
        assertEquals(3, s.waiting());
    }

    @Test
    void fullKvPoolPreemptsTheNewestRequestWhichLaterRecomputes() {
        // 4 blocks of 16: two requests of 20 prompt tokens take 2 blocks each; decoding past 32 needs a third.
        Scheduler s = new Scheduler(1024, 8192, 16, 4, COST);
        Sequence a = seq(1, 20, 20);
        Sequence b = seq(2, 20, 20);
        s.add(a);
        s.add(b);
        while (b.preemptions() == 0 && !a.finished()) {
            s.complete(s.schedule());
        }
        assertEquals(1, b.preemptions(), "the later request gives its blocks up");
        assertEquals(34, a.promptLength() + a.output(), "a computed token 33, its first in a third block, in that step");
        assertEquals(0, a.preemptions());
        runToEnd(s, a);
        runToEnd(s, b);
        assertEquals(20, b.output());
        assertEquals(1, s.preemptions());
    }

    @Test
    void stepCostFollowsTheModel() {
        Scheduler s = new Scheduler(1024, 8192, 16, 1000, COST);
        s.add(seq(1, 1000, 2));
        Scheduler.Step prefill = s.schedule();
        double expected = 1.5e-3 + Math.sqrt(5.9e-3 * 5.9e-3 + Math.pow(1000 / 55_000.0, 2)) + 8.7e-10 * 1000 * 500;
        assertEquals(expected, prefill.seconds(), 1e-12);
        s.complete(prefill);
        Scheduler.Step decode = s.schedule();
        double decodeExpected = 1.5e-3 + Math.sqrt(5.9e-3 * 5.9e-3 + Math.pow(1 / 55_000.0, 2)) + 4.9e-8 * 1001;
        assertEquals(decodeExpected, decode.seconds(), 1e-12);
    }
}
