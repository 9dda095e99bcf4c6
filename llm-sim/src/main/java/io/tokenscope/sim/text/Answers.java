package io.tokenscope.sim.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the simulator says. For a sentiment-classification prompt it answers like a model that
 * read the reviews: one " positive" or " negative" per review line, judged by a small word
 * list, so benchmark runs can score accuracy; for anything else, deterministic filler text.
 */
public final class Answers {
    private static final Set<String> POSITIVE = Set.of("good", "great", "excellent", "moving", "beautiful",
            "beautifully", "masterpiece", "funny", "love", "loved", "best", "wonderful", "brilliant", "honest",
            "award", "sharp", "weight", "enjoyed", "superb", "perfect", "amazing", "fantastic", "well");
    private static final Set<String> NEGATIVE = Set.of("bad", "dull", "lifeless", "mess", "waste", "boring",
            "predictable", "flat", "worst", "cardboard", "drags", "terrible", "awful", "poor", "long", "thin",
            "stupid", "hated", "worse", "disappointing", "painfully", "odd");

    private final long seed;
    private final List<String> verdicts;

    private Answers(long seed, List<String> verdicts) {
        this.seed = seed;
        this.verdicts = verdicts;
    }

    public static Answers forPrompt(String prompt, long seed) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        if (!lower.contains("sentiment")) {
            return new Answers(seed, List.of());
        }
        List<String> verdicts = new ArrayList<>();
        for (String line : prompt.split("\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.isBlank() || l.contains("sentiment") || l.startsWith("<|")) {
                continue;
            }
            int score = 0;
            for (String word : l.split("[^a-z']+")) {
                if (POSITIVE.contains(word)) score++;
                if (NEGATIVE.contains(word)) score--;
            }
            verdicts.add(score >= 0 ? " positive" : " negative");
        }
        return new Answers(seed, verdicts);
    }

    /** The vocabulary id of the k-th generated token, as the prompt tokenizer would give its text. */
    public int tokenId(int k) {
        return Tokenizer.id(token(k));
    }

    /** The k-th generated token (0-based). */
    public String token(int k) {
        return k < verdicts.size() ? verdicts.get(k) : OutputText.token(seed, k);
    }
}
