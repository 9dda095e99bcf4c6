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
     * sweep starts with a cold cache. requests and maxTokens shape the synthetic workload.
     */
    public static List<Prompt> prompts(String workload, String dataset, int n, int duplicate, int requests,
                                       int maxTokens, long seed, int set) {
        long setSeed = seed + set * 0x9E3779B9L;
        List<Prompt> base = switch (workload) {
            case "one-long" -> Workloads.oneLong(reviews(dataset, n, set, setSeed), n);
            case "many-short" -> Workloads.manyShort(reviews(dataset, n, set, setSeed), n);
            default -> dataset.equals("synthetic")
                    ? SyntheticReviews.prompts(requests, maxTokens, setSeed)
                    : withMaxTokens(Workloads.manyShort(reviews(dataset, requests, set, setSeed), requests), maxTokens);
        };
        return Workloads.duplicate(base, duplicate);
    }

    public static List<Prompt> prompts(String workload, String dataset, int n, int duplicate, int requests,
                                       int maxTokens, long seed) {
        return prompts(workload, dataset, n, duplicate, requests, maxTokens, seed, 0);
    }

    static List<Review> reviews(String dataset, int count, int set, long seed) {
        if (dataset.startsWith("imdb:") || dataset.startsWith("jsonl:")) {
            List<Review> all = dataset.startsWith("imdb:")
                    ? ImdbCsv.read(Path.of(dataset.substring(5)), count * (set + 1))
                    : JsonlTexts.read(Path.of(dataset.substring(6)), count * (set + 1));
            if (all.size() < count * (set + 1)) {
                throw new DatasetException(dataset.substring(dataset.indexOf(':') + 1) + ": has " + all.size()
                        + " records; this run needs " + count * (set + 1) + " (" + count + " for each of "
                        + (set + 1) + " concurrency levels)");
            }
            return all.subList(count * set, count * (set + 1));
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Review> reviews = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reviews.add(new Review(SyntheticReviews.review(random), ""));
        }
        return reviews;
    }

    private static List<Prompt> withMaxTokens(List<Prompt> prompts, int maxTokens) {
        return prompts.stream().map(p -> new Prompt(p.text(), maxTokens, p.labels())).toList();
    }
}
