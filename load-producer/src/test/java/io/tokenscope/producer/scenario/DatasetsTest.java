package io.tokenscope.producer.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    private static Path file(String content) throws Exception {
        Path p = Files.createTempFile("dataset", ".txt");
        Files.writeString(p, content);
        return p;
    }

    /** An IMDB-format file of generated reviews: the real one is never shipped. */
    private static Path imdb(int n) throws Exception {
        StringBuilder csv = new StringBuilder("review,sentiment\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            String text = SyntheticReviews.review(random).replace("\"", "\"\"");
            csv.append('"').append(text).append(", \"\"quoted\"\"<br /><br />second line\",")
                    .append(i % 2 == 0 ? "positive" : "negative").append('\n');
        }
        return file(csv.toString());
    }

    @Test
    void imdbCsvWithQuotesCommasAndBreaks() throws Exception {
        List<Review> reviews = ImdbCsv.read(imdb(10), 100);
        assertEquals(10, reviews.size());
        assertTrue(reviews.get(0).text().contains(", \"quoted\"\n\nsecond line"), reviews.get(0).text());
        assertEquals("positive", reviews.get(0).sentiment());
        assertEquals("negative", reviews.get(1).sentiment());
        assertEquals(4, ImdbCsv.read(imdb(10), 4).size(), "reads only what it needs");
    }

    @Test
    void quotedLineBreaksAreKeptAndLinesCounted() throws Exception {
        Path p = file("review,sentiment\n\"first\nspans two lines\",positive\n\"ok\",sideways\n");
        DatasetException e = assertThrows(DatasetException.class, () -> ImdbCsv.read(p, 10));
        assertTrue(e.getMessage().contains(p + ":4:") && e.getMessage().contains("'sentiment'"), e.getMessage());
    }

    @Test
    void imdbErrorsNameFileLineAndColumn() throws Exception {
        Path header = file("text,label\n\"a\",positive\n");
        assertTrue(assertThrows(DatasetException.class, () -> ImdbCsv.read(header, 10)).getMessage()
                .contains(header + ":1: header must name columns 'review' and 'sentiment'"));
        Path columns = file("review,sentiment\n\"a\",positive,extra\n");
        assertTrue(assertThrows(DatasetException.class, () -> ImdbCsv.read(columns, 10)).getMessage()
                .contains(columns + ":2: expected 2 columns, found 3"));
        Path empty = file("review,sentiment\n\"  \",positive\n");
        assertTrue(assertThrows(DatasetException.class, () -> ImdbCsv.read(empty, 10)).getMessage()
                .contains(empty + ":2: column 'review' is empty"));
        Path open = file("review,sentiment\n\"never closed,positive\n");
        assertTrue(assertThrows(DatasetException.class, () -> ImdbCsv.read(open, 10)).getMessage()
                .contains("never closed"));
        Path missing = Path.of("/nonexistent/imdb.csv");
        assertTrue(assertThrows(DatasetException.class, () -> ImdbCsv.read(missing, 10)).getMessage()
                .startsWith(missing + ": cannot read"));
    }

    @Test
    void jsonlReadsTextAndNamesBadLines() throws Exception {
        Path good = file("{\"text\": \"one\"}\n\n{\"text\": \"two\", \"sentiment\": \"positive\"}\n"
                + "{\"text\": \"three\", \"sentiment\": \" Negative\"}\n");
        List<Review> reviews = JsonlTexts.read(good, 10);
        assertEquals(List.of(new Review("one", ""), new Review("two", "positive"), new Review("three", "negative")),
                reviews);
        Path badLabel = file("{\"text\": \"one\", \"sentiment\": \"meh\"}\n");
        assertTrue(assertThrows(DatasetException.class, () -> JsonlTexts.read(badLabel, 10)).getMessage()
                .contains(badLabel + ":1: field 'sentiment' must be positive or negative, got 'meh'"));
        Path bad = file("{\"text\": \"one\"}\n{\"txt\": \"two\"}\n");
        assertTrue(assertThrows(DatasetException.class, () -> JsonlTexts.read(bad, 10)).getMessage()
                .contains(bad + ":2: field 'text'"));
        Path notJson = file("{\"text\": \"one\"}\nnot json\n");
        assertTrue(assertThrows(DatasetException.class, () -> JsonlTexts.read(notJson, 10)).getMessage()
                .contains(notJson + ":2: not a JSON object"));
    }

    @Test
    void imdbPairShapesAndDuplication() throws Exception {
        List<Review> reviews = ImdbCsv.read(imdb(40), 40);
        List<Prompt> oneLong = Workloads.oneLong(reviews, 40);
        assertEquals(1, oneLong.size());
        assertEquals(40, oneLong.get(0).maxTokens());
        assertTrue(oneLong.get(0).text().startsWith(reviews.get(0).text() + "\n" + reviews.get(1).text()));
        List<Prompt> manyShort = Workloads.manyShort(reviews, 40);
        assertEquals(40, manyShort.size());
        assertTrue(manyShort.stream().allMatch(p -> p.maxTokens() == 1));
        List<Prompt> twice = Workloads.duplicate(manyShort, 2);
        assertEquals(80, twice.size());
        assertEquals(twice.get(0), twice.get(40), "round by round");
        assertTrue(assertThrows(DatasetException.class, () -> Workloads.manyShort(reviews, 41)).getMessage()
                .contains("--n"));
    }

    @Test
    void planBuildsFromFlags() throws Exception {
        Path csv = imdb(8);
        assertEquals(8 * 3, WorkloadPlan.prompts("many-short", "imdb:" + csv, 8, 3, 0, 0, 1).size());
        assertEquals(1, WorkloadPlan.prompts("one-long", "synthetic", 8, 1, 0, 0, 1).size());
        List<Prompt> synthetic = WorkloadPlan.prompts("synthetic", "synthetic", 0, 1, 5, 16, 1);
        assertEquals(5, synthetic.size());
        assertEquals(16, synthetic.get(0).maxTokens());
    }

    @Test
    void unlabelledTextsAreSentAsTheyAreAndLabelledOnesAsReviews() throws Exception {
        Path jsonl = file("{\"text\": \"Summarize: x\"}\n{\"text\": \"Loved it\", \"sentiment\": \"positive\"}\n");
        List<Prompt> prompts = WorkloadPlan.prompts("synthetic", "jsonl:" + jsonl, 0, 1, 2, 7, 1);
        assertEquals(new Prompt("Summarize: x", 7), prompts.get(0));
        assertEquals(new Prompt("Loved it\n" + SyntheticReviews.INSTRUCTION, 7, List.of("positive")), prompts.get(1));
        List<Prompt> random = WorkloadPlan.prompts("synthetic", "random", 0, 1, 3, 7, 1, 0,
                new RandomTexts.Shape(20, 5, 0, 0));
        assertEquals(3, random.size());
        assertEquals(5, random.get(0).maxTokens(), "the random dataset's output length, not --max-tokens");
    }
}
