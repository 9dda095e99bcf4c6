package io.tokenscope.producer;

import io.tokenscope.producer.scenario.InputSweep;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.producer.scenario.WorkloadPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run sends, level by level and round by round; {@link LoadRun} executes any plan the
 * same way. A concurrency sweep has one level per concurrency, each with --rounds rounds on
 * the same prompts. An input-length sweep has one level per length, each with --sweep-repeats
 * triples of rounds at concurrency 1: cold (cache reset first), pre-warm (reset, then the
 * context with another question) and warm (the cold prompt again, its context now cached).
 */
record RunPlan(List<Level> levels) {
    RunPlan {
        levels = List.copyOf(levels);
    }

    /** A concurrency (0: all at once, or no cap) and, in an input-length sweep, the length (else 0). */
    record Level(int concurrency, int inputLength, List<Round> rounds) {
        Level {
            rounds = List.copyOf(rounds);
        }
    }

    /** One measured round: the scenario its events carry, its prompts, and whether to reset the cache first. */
    record Round(int round, String scenario, List<Prompt> prompts, boolean resetBefore) {
        Round {
            prompts = List.copyOf(prompts);
        }
    }

    static final String COLD = "cold", PREWARM = "prewarm", WARM = "warm";

    /** Reads every dataset the plan needs, so a dataset problem stops the run before it connects anywhere. */
    static RunPlan of(ProducerConfig c) {
        List<Level> levels = new ArrayList<>();
        if (!c.inputLengths().isEmpty()) {
            for (int length : c.inputLengths()) {
                InputSweep.Pair p = InputSweep.prompts(length, c.maxTokens(), c.seed());
                String s = c.scenario() + "-L" + length + "-";
                List<Round> rounds = new ArrayList<>();
                // A reset makes the same prompt cold again, so repeats reuse it: the samples differ only in timing.
                for (int k = 0; k < c.sweepRepeats(); k++) {
                    rounds.add(new Round(3 * k + 1, s + COLD, List.of(p.measured()), true));
                    rounds.add(new Round(3 * k + 2, s + PREWARM, List.of(p.prewarm()), true));
                    rounds.add(new Round(3 * k + 3, s + WARM, List.of(p.measured()), false));
                }
                levels.add(new Level(1, length, rounds));
            }
            return new RunPlan(levels);
        }
        for (int level = 0; level < c.concurrencies().size(); level++) {
            List<Prompt> all = WorkloadPlan.prompts(c.workload(), c.dataset(), c.n(), c.duplicate(), c.requests(),
                    c.maxTokens(), c.seed(), level, c.random());
            // Producers sharing a run split its prompts: instance i of k sends every k-th one.
            List<Prompt> mine = new ArrayList<>();
            for (int i = c.instance(); i < all.size(); i += c.instances()) {
                mine.add(all.get(i));
            }
            List<Round> rounds = new ArrayList<>();
            for (int r = 1; r <= c.rounds(); r++) {
                rounds.add(new Round(c.rounds() == 1 ? c.round() : r, c.scenario(), mine, c.resetPrefixCache() && r == 1));
            }
            levels.add(new Level(c.concurrencies().get(level), 0, rounds));
        }
        return new RunPlan(levels);
    }
}
