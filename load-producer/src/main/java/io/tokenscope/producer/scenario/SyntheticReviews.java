package io.tokenscope.producer.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Review-like prompts for the demo and tests: deterministic for a seed, shaped like IMDB
 * reviews (several sentences of opinionated prose) so that prompt lengths are realistic.
 */
public final class SyntheticReviews {
    private static final String[] OPENERS = {"I watched this", "This film", "The movie", "Honestly this picture",
        "My family and I saw this", "From the first scene it"};
    private static final String[] VERBS = {"was", "felt", "seemed", "turned out to be", "came across as"};
    private static final String[] JUDGEMENTS = {"a masterpiece of quiet tension", "a dull and lifeless mess",
        "surprisingly moving", "far too long for its thin plot", "beautifully shot and well acted",
        "a waste of a talented cast", "funny in all the right places", "painfully predictable"};
    private static final String[] DETAILS = {"The lead actor carries every scene", "the score swells at odd moments",
        "the dialogue is sharp", "the editing drags in the middle", "the ending lands with real weight",
        "the villain is a cardboard cutout", "the cinematography deserves an award", "the jokes fall flat"};

    public static final String INSTRUCTION =
            "Classify the sentiment of the movie review above as positive or negative. Answer with one word.";

    private SyntheticReviews() {}

    public static String review(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int sentences = 3 + random.nextInt(6);
        for (int s = 0; s < sentences; s++) {
            if (s > 0) text.append(' ');
            if (s % 2 == 0) {
                text.append(pick(random, OPENERS)).append(' ').append(pick(random, VERBS)).append(' ')
                        .append(pick(random, JUDGEMENTS)).append('.');
            } else {
                String d = pick(random, DETAILS);
                text.append(Character.toUpperCase(d.charAt(0))).append(d.substring(1)).append(", and ")
                        .append(pick(random, DETAILS)).append('.');
            }
        }
        return text.toString();
    }

    /** n prompts of one review plus the instruction. */
    public static List<Prompt> prompts(int n, int maxTokens, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Prompt> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            prompts.add(new Prompt(review(random) + "\n" + INSTRUCTION, maxTokens));
        }
        return prompts;
    }

    private static String pick(SplittableRandom random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
