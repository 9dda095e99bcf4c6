package io.tokenscope.aggregator;

import java.util.SplittableRandom;

/** Random text for oracle tests: ASCII, two- and three-byte UTF-8, and surrogate pairs (four bytes). */
public final class RandomText {
    private RandomText() {}

    public static String of(SplittableRandom rnd, int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> b.append((char) rnd.nextInt(32, 127));
                case 1 -> b.append('é');
                case 2 -> b.append('語');
                default -> b.appendCodePoint(0x1F600);
            }
        }
        return b.toString();
    }
}
