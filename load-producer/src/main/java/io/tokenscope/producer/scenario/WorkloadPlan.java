package io.tokenscope.producer.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Turns the workload flags into the list of prompts to send, in order. */
public final class WorkloadPlan {
    private WorkloadPlan() {}

    /**
     * The prompts of one configuration. Set {@code set} apart from 0 to get prompts that share
     * nothing with set 0 (the next slice of the dataset, or another seed), so each level of a
     * sweep starts with a cold cache. requests and maxTokens shape the synthetic workload;
     * {@code random} shapes the random dataset, whose output lengths replace maxTokens.
     */
    public static List<Prompt> prompts(String workload, String dataset, int n, int duplicate, int requests,
                                       int maxTokens, long seed, int set, RandomTexts.Shape random) {
        long setSeed = seed + set * 0x9E3779B9L;
        List<Prompt> base = switch (workload) {
            case "one-long" -> Workloads.oneLong(reviews(dataset, n, set, setSeed), n);
            case "many-short" -> Workloads.manyShort(reviews(dataset, n, set, setSeed), n);
            default -> switch (dataset) {
                case "synthetic" -> SyntheticReviews.prompts(requests, maxTokens, setSeed);
                case "random" -> RandomTexts.prompts(requests, random, setSeed);
                default -> asPrompts(reviews(dataset, requests, set, setSeed), maxTokens);
            };
        };
        return Workloads.duplicate(base, duplicate);
    }

    public static List<Prompt> prompts(String workload, String dataset, int n, int duplicate, int requests,
                                       int maxTokens, long seed) {
        return prompts(workload, dataset, n, duplicate, requests, maxTokens, seed, 0, RandomTexts.Shape.DEFAULT);
    }

    static List<Review> reviews(String dataset, int count, int set, long seed) {
        int colon = dataset.indexOf(':');
        if (colon > 0) {
            Path file = Path.of(dataset.substring(colon + 1));
            int needed = count * (set + 1);
            List<Review> all = switch (dataset.substring(0, colon)) {
                case "imdb" -> ImdbCsv.read(file, needed);
                case "jsonl" -> JsonlTexts.read(file, needed);
                case "longbench" -> LongBench.read(file, needed);
                default -> throw new DatasetException("unknown dataset kind in '" + dataset + "' (--dataset)");
            };
            if (all.size() < needed) {
                throw new DatasetException(file + ": has " + all.size() + " records; this run needs " + needed + " ("
                        + count + " for each of " + (set + 1) + " concurrency levels)");
            }
            return all.subList(count * set, needed);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Review> reviews = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reviews.add(new Review(SyntheticReviews.review(random), ""));
        }
        return reviews;
    }

    /**
     * A labelled text is a review: it gets the sentiment instruction and its answer is scored.
     * Any other text (a JSONL or LongBench prompt) is sent as it is.
     */
    private static List<Prompt> asPrompts(List<Review> texts, int maxTokens) {
        List<Prompt> prompts = new ArrayList<>(texts.size());
        for (Review r : texts) {
            prompts.add(r.sentiment().isEmpty() ? new Prompt(r.text(), maxTokens)
                    : new Prompt(r.text() + "\n" + SyntheticReviews.INSTRUCTION, maxTokens, List.of(r.sentiment())));
        }
        return prompts;
    }
}
