package io.tokenscope.producer.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The IMDB sentiment pair and its variants, from any list of reviews.
 * one-long: one prompt of n reviews joined by newlines plus the instruction, max_tokens n.
 * many-short: n prompts of one review plus the instruction, max_tokens 1.
 * Duplication repeats the whole list k times, round by round, as a repeated benchmark sends it.
 */
public final class Workloads {
    public static final String ONE_LONG_INSTRUCTION =
            "Classify the sentiment of each movie review above as positive or negative. "
                    + "Answer with one word per review, in order.";

    private Workloads() {}

    public static List<Prompt> oneLong(List<Review> reviews, int n) {
        List<Review> picked = take(reviews, n);
        StringBuilder prompt = new StringBuilder();
        for (Review r : picked) {
            prompt.append(r.text()).append('\n');
        }
        prompt.append(ONE_LONG_INSTRUCTION);
        return List.of(new Prompt(prompt.toString(), picked.size(), labels(picked)));
    }

    public static List<Prompt> manyShort(List<Review> reviews, int n) {
        List<Prompt> prompts = new ArrayList<>();
        for (Review r : take(reviews, n)) {
            prompts.add(new Prompt(r.text() + "\n" + SyntheticReviews.INSTRUCTION, 1, labels(List.of(r))));
        }
        return prompts;
    }

    public static List<Prompt> duplicate(List<Prompt> prompts, int times) {
        List<Prompt> out = new ArrayList<>(prompts.size() * times);
        for (int i = 0; i < times; i++) {
            out.addAll(prompts);
        }
        return out;
    }

    /** The reviews' labels, or none if any review is unlabelled. */
    private static List<String> labels(List<Review> reviews) {
        List<String> labels = new ArrayList<>();
        for (Review r : reviews) {
            if (r.sentiment().isEmpty()) {
                return List.of();
            }
            labels.add(r.sentiment());
        }
        return labels;
    }

    private static List<Review> take(List<Review> reviews, int n) {
        if (reviews.size() < n) {
            throw new DatasetException("the workload needs " + n + " reviews (--n) but the dataset has " + reviews.size());
        }
        return reviews.subList(0, n);
    }
}
