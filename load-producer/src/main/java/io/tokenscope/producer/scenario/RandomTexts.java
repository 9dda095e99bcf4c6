package io.tokenscope.producer.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Prompts of a chosen length in tokens, like vLLM's {@code bench serve --dataset-name random}:
 * input and output lengths drawn uniformly from [L·(1−r), L·(1+r)] (floor and ceiling; at
 * least one output token), every prompt after an optional prefix all of them share, and each
 * prompt different from the others from its first token on.
 *
 * <p>The producer has no tokenizer, so lengths are counted in words: common English words
 * separated by single spaces. The simulator's tokenizer makes each such word one token (a run
 * of letters with the whitespace before it), so N words are N tokens there, plus the chat
 * template's few. BPE tokenizers of real models also keep these words whole, so on a real
 * server the count is close but not exact; its {@code usage.prompt_tokens} is the truth.
 */
public final class RandomTexts {
    /** Single-token words in the simulator and, with a leading space, in common BPE vocabularies. */
    private static final String[] WORDS = ("the of and to in is was for that with on as by at from his her they "
            + "this which have had one all were when there been their more about would what time people year "
            + "first new after other could only some these also into over than most made like then many before "
            + "must through back years where much your way well down should because each just those how too "
            + "little state good very make world still own see men work long get here between both life being "
            + "under never day same another know while last might great old off come since against go came right "
            + "used take three small large house part place point number water word home hand high light city "
            + "side night story move play music tree table paper river garden market window letter "
            + "morning evening summer winter school street friend family power money question answer reason").split(" ");

    /**
     * Length parameters: the mean input and output length in tokens, the range ratio r in
     * [0, 1), and the length of the prefix every prompt starts with (0 for none).
     */
    public record Shape(int inputLen, int outputLen, double rangeRatio, int prefixLen) {
        public static final Shape DEFAULT = new Shape(1024, 128, 0, 0);

        public int inputLow() {
            return (int) Math.floor(inputLen * (1 - rangeRatio));
        }

        public int inputHigh() {
            return (int) Math.ceil(inputLen * (1 + rangeRatio));
        }

        public int outputLow() {
            return Math.max(1, (int) Math.floor(outputLen * (1 - rangeRatio)));
        }

        public int outputHigh() {
            return Math.max(1, (int) Math.ceil(outputLen * (1 + rangeRatio)));
        }
    }

    private RandomTexts() {}

    /** {@code count} prompts of the shape; the same seed gives the same prompts. */
    public static List<Prompt> prompts(int count, Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String prefix = shape.prefixLen() > 0 ? words(random, shape.prefixLen()) + " " : "";
        List<Prompt> prompts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int input = between(random, shape.inputLow(), shape.inputHigh());
            int output = between(random, shape.outputLow(), shape.outputHigh());
            prompts.add(new Prompt(prefix + words(random, Math.max(1, input)), output));
        }
        return prompts;
    }

    /** {@code n} words, separated by single spaces: n tokens in the simulator's sense. */
    public static String words(SplittableRandom random, int n) {
        StringBuilder text = new StringBuilder(n * 6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static int between(SplittableRandom random, int low, int high) {
        return low + random.nextInt(high - low + 1);
    }
}
