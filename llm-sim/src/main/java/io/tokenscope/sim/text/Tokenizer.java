package io.tokenscope.sim.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A stable, tokenizer-like split: a token is a run of letters/digits/apostrophes, or a run of
 * line breaks, or one other character, each with the spaces and tabs before it. Line breaks
 * never join the word after them, as in GPT-style pre-tokenizers; that is what makes a chat
 * follow-up tokenize the previous answer exactly as it was generated (the template puts the
 * answer after a line break), so its KV blocks can be prefix-cache hits. Deterministic and
 * close enough to BPE counts on English text for scheduling and caching.
 */
public final class Tokenizer {
    private Tokenizer() {}

    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>(text.length() / 4 + 1);
        int i = 0, n = text.length();
        while (i < n) {
            int start = i;
            while (i < n && isBlank(text.charAt(i))) i++;
            if (i == n) {
                tokens.add(text.substring(start));
                break;
            }
            char c = text.charAt(i);
            if (isLineBreak(c)) {
                while (i < n && isLineBreak(text.charAt(i))) i++;
            } else if (isWordChar(c)) {
                while (i < n && isWordChar(text.charAt(i))) i++;
            } else {
                i++;
            }
            tokens.add(text.substring(start, i));
        }
        return tokens;
    }

    public static int count(String text) {
        return tokenize(text).size();
    }

    /** The vocabulary id of a token; prompts and generated text share it, so equal text hashes equally. */
    public static int id(String token) {
        return token.hashCode();
    }

    public static int[] ids(String text) {
        return tokenize(text).stream().mapToInt(Tokenizer::id).toArray();
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) && !isLineBreak(c);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '\'';
    }
}
