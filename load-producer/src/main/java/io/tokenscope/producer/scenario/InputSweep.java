package io.tokenscope.producer.scenario;

import java.util.SplittableRandom;

/**
 * The prompts of one input length L in the cold-versus-warm sweep: a context of L tokens (in
 * the simulator's sense, see {@link RandomTexts}) followed by a question. The measured prompt
 * is the same cold and warm; the pre-warm prompt has the same context and another question,
 * so what the warm request finds cached is the shared context, not its own whole prompt.
 */
public final class InputSweep {
    static final String QUESTION = "\n\nQuestion: which word comes up most often in the text above? Answer:";
    static final String PREWARM_QUESTION = "\n\nQuestion: which word comes first in the text above? Answer:";

    /** The prompt measured cold and warm, and the one sent in between to warm the context. */
    public record Pair(Prompt measured, Prompt prewarm) {}

    private InputSweep() {}

    /** Each length gets a context of its own, so no length warms another's cache. */
    public static Pair prompts(int inputLength, int maxTokens, long seed) {
        String context = RandomTexts.words(new SplittableRandom(seed * 31 + inputLength), inputLength);
        return new Pair(new Prompt(context + QUESTION, maxTokens), new Prompt(context + PREWARM_QUESTION, maxTokens));
    }
}
