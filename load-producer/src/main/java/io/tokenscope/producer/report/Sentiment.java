package io.tokenscope.producer.report;

import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.scenario.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentiment accuracy of the answers: each answer's words "positive"/"negative", in order,
 * against its prompt's labels. An answer that gives fewer verdicts than labels is wrong on the
 * missing ones; a failed request is wrong on all of its labels.
 */
public record Sentiment(int labels, int correct) {
    public static final Sentiment NONE = new Sentiment(0, 0);

    public static Sentiment score(List<Prompt> prompts, List<RequestResult> results) {
        int labels = 0, correct = 0;
        for (int i = 0; i < prompts.size() && i < results.size(); i++) {
            List<String> expected = prompts.get(i).labels();
            labels += expected.size();
            RequestResult r = results.get(i);
            if (expected.isEmpty() || r == null || !r.ok()) {
                continue;
            }
            List<String> said = verdicts(r.text());
            for (int k = 0; k < expected.size() && k < said.size(); k++) {
                if (expected.get(k).equals(said.get(k))) {
                    correct++;
                }
            }
        }
        return new Sentiment(labels, correct);
    }

    static List<String> verdicts(String answer) {
        List<String> out = new ArrayList<>();
        for (String word : answer.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.equals("positive") || word.equals("negative")) {
                out.add(word);
            }
        }
        return out;
    }

    public double accuracy() {
        return labels == 0 ? Double.NaN : (double) correct / labels;
    }
}
