package io.tokenscope.sim.text;

/** Deterministic generated text: the k-th token of a response, drawn from a small vocabulary. */
public final class OutputText {
    private static final String[] WORDS = {
        " The", " review", " is", " positive", " and", " the", " film", " was", " well", " made", ".",
        " Acting", " felt", " honest", ",", " pacing", " steady", " overall", " a", " good", " watch"
    };

    private OutputText() {}

    public static String token(long seed, int k) {
        long h = (seed ^ (k * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
        return WORDS[(int) Math.floorMod(h ^ (h >>> 31), WORDS.length)];
    }
}
