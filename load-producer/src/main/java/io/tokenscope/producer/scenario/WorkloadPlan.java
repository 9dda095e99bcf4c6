package io.tokenscope.producer.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Turns the workload flags into the list of prompts to send, in order. */
public final class WorkloadPlan {
    private WorkloadPlan() {}

    /**
     * @param requests, maxTokens used by the synthetic workload
     */
    public static List<Prompt> prompts(String workload, String dataset, int n, int duplicate, int requests,
                                       int maxTokens, long seed) {
        List<Prompt> base = switch (workload) {
            case "one-long" -> Workloads.oneLong(reviews(dataset, n, seed), n);
            case "many-short" -> Workloads.manyShort(reviews(dataset, n, seed), n);
            default -> dataset.equals("synthetic")
                    ? SyntheticReviews.prompts(requests, maxTokens, seed)
                    : withMaxTokens(Workloads.manyShort(reviews(dataset, requests, seed), requests), maxTokens);
        };
        return Workloads.duplicate(base, duplicate);
    }

    static List<Review> reviews(String dataset, int count, long seed) {
        if (dataset.startsWith("imdb:")) {
            return ImdbCsv.read(Path.of(dataset.substring(5)), count);
        }
        if (dataset.startsWith("jsonl:")) {
            return JsonlTexts.read(Path.of(dataset.substring(6)), count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Review> reviews = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reviews.add(new Review(SyntheticReviews.review(random), ""));
        }
        return reviews;
    }

    private static List<Prompt> withMaxTokens(List<Prompt> prompts, int maxTokens) {
        return prompts.stream().map(p -> new Prompt(p.text(), maxTokens)).toList();
    }
}
