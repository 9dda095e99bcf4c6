package io.tokenscope.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.scenario.JsonlTexts;
import io.tokenscope.producer.scenario.Review;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvertTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int convert(String... args) {
        return Convert.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path file(String content) throws Exception {
        Path p = Files.createTempFile("longbench", ".jsonl");
        Files.writeString(p, content);
        return p;
    }

    private static final String ROW = "{\"input\": \"Who?\", \"context\": \"Ann wrote \\\"it\\\".\\nThe end.\", "
            + "\"answers\": [\"Ann\"], \"length\": 4, \"dataset\": \"qasper\", \"language\": \"en\", "
            + "\"all_classes\": null, \"_id\": \"x\"}";

    @Test
    void longBenchBecomesJsonlTheProducerReadsBack() throws Exception {
        Path in = file(ROW + "\n" + ROW.replace("Who?", "When?") + "\n");
        Path outFile = Files.createTempFile("converted", ".jsonl");
        assertEquals(0, convert("--input", "longbench:" + in, "--output", outFile.toString()), err.toString());
        List<Review> back = JsonlTexts.read(outFile, 10);
        assertEquals(2, back.size());
        assertTrue(back.get(0).text().startsWith("Ann wrote \"it\".\nThe end.\n\n") && back.get(0).text().endsWith(
                "Question: Who?\nAnswer:"), back.get(0).text());
        assertTrue(out.toString().contains("2 prompts written"), out.toString());
    }

    @Test
    void malformedLinesAreReportedCountedAndFailTheExitStatus() throws Exception {
        Path in = file(ROW + "\n{\"input\": 3, \"context\": \"c\"}\n" + ROW + "\n{broken\n");
        Path outFile = Files.createTempFile("converted", ".jsonl");
        assertEquals(1, convert("--input", "longbench:" + in, "--output", outFile.toString()));
        assertEquals(2, Files.readAllLines(outFile).size(), "the good lines are still written");
        String problems = err.toString();
        assertTrue(problems.contains(in + ":2: field 'input' must be a string, got number"), problems);
        assertTrue(problems.contains(in + ":4: not a JSON object at column 2"), problems);
        assertTrue(out.toString().contains("2 prompts written") && out.toString().contains("2 malformed line(s)"),
                out.toString());
    }

    @Test
    void badArgumentsNameTheFlag() throws Exception {
        assertEquals(2, convert("--input", "imdb:x.csv", "--output", "y"));
        assertTrue(err.toString().contains("--input must be longbench:FILE, got 'imdb:x.csv'"), err.toString());
        err.reset();
        assertEquals(2, convert("--input", "longbench:x"));
        assertTrue(err.toString().contains("convert needs --input and --output"), err.toString());
        err.reset();
        assertEquals(1, convert("--input", "longbench:/nonexistent/lb.jsonl", "--output", "/tmp/never-written.jsonl"));
        assertTrue(err.toString().contains("/nonexistent/lb.jsonl: cannot read the LongBench file"), err.toString());
        err.reset();
        assertEquals(1, convert("--input", "longbench:" + file(ROW + "\n"), "--output", "/nonexistent/dir/out.jsonl"));
        assertTrue(err.toString().contains("(--output)"), err.toString());
    }
}
