package io.tokenscope.producer.scenario;

import java.util.List;

/**
 * One request to send: its prompt text, how many tokens to ask for, and the sentiment labels
 * its answer should give, in order (empty when the dataset has none).
 */
public record Prompt(String text, int maxTokens, List<String> labels) {
    public Prompt {
        labels = List.copyOf(labels);
    }

    public Prompt(String text, int maxTokens) {
        this(text, maxTokens, List.of());
    }
}
