package io.tokenscope.sim.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A stable, tokenizer-like split: a token is a run of letters/digits/apostrophes with the
 * whitespace before it, or one other non-space character with the whitespace before it.
 * Deterministic and close enough to BPE counts on English text for scheduling and caching.
 */
public final class Tokenizer {
    private Tokenizer() {}

    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>(text.length() / 4 + 1);
        int i = 0, n = text.length();
        while (i < n) {
            int start = i;
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i == n) {
                if (i > start) tokens.add(text.substring(start));
                break;
            }
            if (isWordChar(text.charAt(i))) {
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

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '\'';
    }
}
