package io.tokenscope.sim.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void wordsCarryTheirLeadingSpaceAndPunctuationStandsAlone() {
        assertEquals(List.of("I", " didn't", " like", " it", ",", " really", "."), Tokenizer.tokenize("I didn't like it, really."));
    }

    @Test
    void tokensJoinBackToTheText() {
        String text = "  Two  spaces\nand a tab\there!  ";
        assertEquals(text, String.join("", Tokenizer.tokenize(text)));
    }

    @Test
    void countIsStable() {
        assertEquals(0, Tokenizer.count(""));
        assertEquals(3, Tokenizer.count("a b c"));
    }
}
