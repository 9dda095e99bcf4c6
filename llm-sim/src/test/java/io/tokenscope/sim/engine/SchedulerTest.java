package io.tokenscope.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final CostModel COST = CostModel.H100_8B;

    /** Generated token k has id OUTPUT_IDS + k, apart from any prompt id these tests use. */
    private static final int OUTPUT_IDS = 1_000_000;

    private static Sequence seq(long id, int promptTokens, int output) {
        return seq(id, IntStream.range(0, promptTokens).toArray(), output);
    }

    private static Sequence seq(long id, int[] prompt, int output) {
        return new Sequence(id, prompt, output, 16, k -> OUTPUT_IDS + k);
    }

    /** A's prompt, then A's answer, then more: a chat follow-up that quotes the previous answer. */
    private static int[] followUp(int promptTokens, int answerTokens, int more) {
        return IntStream.concat(IntStream.concat(IntStream.range(0, promptTokens),
                IntStream.range(OUTPUT_IDS, OUTPUT_IDS + answerTokens)), IntStream.range(-more, 0)).toArray();
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
    void identicalPromptsAdmittedInOneStepShareTheFirstOnesBlocks() {
        // As vLLM v1 caches blocks when it allocates them: the later copies hit in the same step.
        Scheduler s = new Scheduler(1024, 8192, 16, 25_000, COST);
        List<Sequence> copies = IntStream.range(0, 5).mapToObj(i -> seq(i, 870, 1)).toList();
        copies.forEach(s::add);
        Scheduler.Step step = s.schedule();
        assertEquals(List.of(870, 6, 6, 6, 6), step.work().stream().map(Scheduler.Work::tokens).toList(),
                "one prefill, and the last, partial block of each copy");
        assertEquals(List.of(0, 864, 864, 864, 864), copies.stream().map(Sequence::cachedTokens).toList());
        s.complete(step);
        assertTrue(copies.stream().allMatch(Sequence::finished));
    }

    @Test
    void aFollowUpQuotingTheAnswerHitsTheBlocksTheAnswerFilled() {
        Scheduler s = new Scheduler(1024, 8192, 16, 1000, COST);
        Sequence a = seq(1, 40, 30);
        s.add(a);
        runToEnd(s, a);
        // KV was computed for 40 + 30 - 1 tokens: four full blocks, two of them filled by decode.
        Sequence b = seq(2, followUp(40, 30, 20), 1);
        s.add(b);
        runToEnd(s, b);
        assertEquals(64, b.cachedTokens());
    }

    @Test
    void theLastSampledTokenIsNeverComputedSoItsBlockIsNotCached() {
        Scheduler s = new Scheduler(1024, 8192, 16, 1000, COST);
        Sequence a = seq(1, 32, 16);
        s.add(a);
        runToEnd(s, a);
        Sequence b = seq(2, followUp(32, 16, 10), 1);
        s.add(b);
        runToEnd(s, b);
        assertEquals(32, b.cachedTokens(), "tokens 32..47 are known but only 32..46 were computed");
    }

    @Test
    void aFollowUpWithADifferentAnswerHitsOnlyThePrompt() {
        Scheduler s = new Scheduler(1024, 8192, 16, 1000, COST);
        Sequence a = seq(1, 40, 30);
        s.add(a);
        runToEnd(s, a);
        int[] otherAnswer = followUp(40, 30, 20);
        otherAnswer[45] = 7; // one generated token differs: its block and every later one miss
        Sequence b = seq(2, otherAnswer, 1);
        s.add(b);
        runToEnd(s, b);
        assertEquals(32, b.cachedTokens());
    }

    @Test
    void aPreemptedRequestRecomputesFromItsOwnCachedGeneratedBlocks() {
        // 5 blocks: a (20 prompt + 40 output) needs 4, b (4 prompt + 40 output) needs 3, so b is
        // preempted when a needs its fourth block, with two full blocks of b's cached. b's blocks
        // go to the tail of the free queue last block first, so a takes that one; b's first
        // block (4 prompt tokens, 12 generated) survives.
        Scheduler s = new Scheduler(1024, 8192, 16, 5, COST);
        Sequence a = seq(1, 20, 40);
        Sequence b = seq(2, 4, 40);
        s.add(a);
        s.add(b);
        while (b.preemptions() == 0) {
            s.complete(s.schedule());
        }
        runToEnd(s, a);
        long hitsBefore = s.prefixHits();
        s.complete(s.schedule());
        assertEquals(16, s.prefixHits() - hitsBefore, "a hit of 16 with a 4-token prompt is generated tokens");
        assertEquals(0, b.cachedTokens(), "usage reports the first admission's hit");
        runToEnd(s, b);
        assertEquals(40, b.output());
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
