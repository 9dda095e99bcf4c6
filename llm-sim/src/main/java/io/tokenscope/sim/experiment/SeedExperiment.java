package io.tokenscope.sim.experiment;

import io.tokenscope.sim.engine.CostModel;
import io.tokenscope.sim.engine.Scheduler;
import io.tokenscope.sim.engine.Sequence;
import io.tokenscope.sim.text.Answers;
import io.tokenscope.sim.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed experiment on the vLLM engine model in virtual time: IMDB-style reviews, n = 4, 40,
 * 400, sent all at once (duplicates round by round). "one-long": one prompt of n reviews joined by newlines plus the
 * instruction, max_tokens n. "many-short": n prompts of one review plus the instruction,
 * max_tokens 1. Each also with every request duplicated 10 times. Total tokens/s is (prompt +
 * generated tokens) over the makespan. Virtual time makes the figures the model's own, free of
 * this machine's noise; the load producer measures the same scenarios over HTTP.
 *
 * <p>Reviews are synthetic: token ids from a seeded generator, lengths log-normal around
 * 230 tokens (IMDB reviews average about 230 words); distinct reviews share no prefix.
 */
public final class SeedExperiment {
    static final String INSTRUCTION = "\nClassify the sentiment of each review above as positive or negative.";

    /** One scenario's outcome. */
    public record Result(String scenario, int n, int duplicate, int requests, long promptTokens, long outputTokens,
                         long cachedTokens, double seconds) {
        public double totalTokensPerS() {
            return (promptTokens + outputTokens) / seconds;
        }
    }

    private SeedExperiment() {}

    static int[][] reviews(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] reviews = new int[n][];
        for (int i = 0; i < n; i++) {
            int length = (int) Math.max(20, Math.round(Math.exp(5.3 + 0.55 * random.nextGaussian())));
            reviews[i] = random.ints(length, 1_000, 50_000).toArray();
        }
        return reviews;
    }

    static int[] concat(List<int[]> parts) {
        int total = parts.stream().mapToInt(p -> p.length).sum();
        int[] out = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Runs one scenario in virtual time with the given engine settings. */
    public static Result run(String scenario, int n, int duplicate, CostModel cost, int maxNumSeqs,
                             int maxBatchedTokens, int kvTokens) {
        int[][] reviews = reviews(n, 7);
        int[] instruction = Tokenizer.ids(INSTRUCTION);
        int[] newline = Tokenizer.ids("\n");
        List<int[]> prompts = new ArrayList<>();
        List<Integer> maxTokens = new ArrayList<>();
        if (scenario.equals("one-long")) {
            List<int[]> parts = new ArrayList<>();
            for (int[] r : reviews) {
                parts.add(r);
                parts.add(newline);
            }
            parts.add(instruction);
            prompts.add(concat(parts));
            maxTokens.add(n);
        } else if (scenario.equals("many-short")) {
            for (int[] r : reviews) {
                prompts.add(concat(List.of(r, instruction)));
                maxTokens.add(1);
            }
        } else {
            throw new IllegalArgumentException("scenario must be one-long or many-short, got " + scenario);
        }
        Scheduler scheduler = new Scheduler(maxNumSeqs, maxBatchedTokens, 16, kvTokens / 16, cost);
        List<Sequence> all = new ArrayList<>();
        long id = 0, prompt = 0, output = 0;
        // Duplicates go round by round (the whole list, then the whole list again), as a
        // benchmark that repeats its request list sends them.
        for (int d = 0; d < duplicate; d++) {
            for (int i = 0; i < prompts.size(); i++) {
                Answers answers = Answers.forPrompt("", id);
                Sequence seq = new Sequence(id++, prompts.get(i), maxTokens.get(i), 16, answers::tokenId);
                scheduler.add(seq);
                all.add(seq);
                prompt += prompts.get(i).length;
                output += maxTokens.get(i);
            }
        }
        double seconds = 0;
        while (scheduler.hasWork()) {
            Scheduler.Step step = scheduler.schedule();
            if (step.isEmpty()) {
                throw new IllegalStateException("engine stalled: a request does not fit the KV pool");
            }
            seconds += step.seconds();
            scheduler.complete(step);
        }
        long cached = all.stream().mapToLong(Sequence::cachedTokens).sum();
        return new Result(scenario, n, duplicate, all.size(), prompt, output, cached, seconds);
    }

    public static List<Result> runAll(CostModel cost) {
        List<Result> results = new ArrayList<>();
        for (int n : new int[] {4, 40, 400}) {
            for (int duplicate : new int[] {1, 10}) {
                for (String scenario : new String[] {"one-long", "many-short"}) {
                    results.add(run(scenario, n, duplicate, cost, 1024, 8192, 400_000));
                }
            }
        }
        return results;
    }

    /** Prints the table: {@code java -cp llm-sim-app.jar io.tokenscope.sim.experiment.SeedExperiment}. */
    public static void main(String[] args) {
        System.out.println("| n | duplicate | scenario | requests | prompt tokens | output tokens | cached tokens "
                + "| makespan (s) | total tokens/s |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : runAll(CostModel.H100_8B)) {
            System.out.printf("| %d | %d× | %s | %d | %d | %d | %d | %.3f | %,.0f |%n", r.n(), r.duplicate(), r.scenario(),
                    r.requests(), r.promptTokens(), r.outputTokens(), r.cachedTokens(), r.seconds(), r.totalTokensPerS());
        }
    }
}
