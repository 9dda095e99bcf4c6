package io.tokenscope.sim.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void wordsCarryTheirLeadingSpaceAndPunctuationStandsAlone() {
        assertEquals(List.of("I", " didn't", " like", " it", ",", " really", "."), Tokenizer.tokenize("I didn't like it, really."));
    }

    @Test
    void lineBreaksAreTokensOfTheirOwn() {
        assertEquals(List.of("a", "\n", " b", " \n\n", "c", "\r\n", "  "), Tokenizer.tokenize("a\n b \n\nc\r\n  "));
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

    @Test
    void aQuotedAnswerTokenizesAsTheTokensThatWereGenerated() {
        for (String prompt : List.of("<|user|>\nhello there\n<|assistant|>\n",
                "<|user|>\nRate each review's sentiment.\nGreat film.\nA dull mess.\n<|assistant|>\n")) {
            for (long seed = 0; seed < 50; seed++) {
                Answers answers = Answers.forPrompt(prompt, seed);
                StringBuilder text = new StringBuilder();
                int[] generated = new int[40];
                for (int k = 0; k < generated.length; k++) {
                    text.append(answers.token(k));
                    generated[k] = answers.tokenId(k);
                }
                String followUp = prompt + text + "\n<|user|>\nand then?\n<|assistant|>\n";
                int[] ids = Tokenizer.ids(followUp);
                int[] expected = IntStream.concat(Arrays.stream(Tokenizer.ids(prompt)), Arrays.stream(generated)).toArray();
                assertArrayEquals(expected, Arrays.copyOf(ids, expected.length), prompt + text);
            }
        }
    }
}
