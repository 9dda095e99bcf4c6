package io.tokenscope.producer.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongBenchTest {
    static final String QA = "{\"input\": \"Who wrote it?\", \"context\": \"A long story by Ann.\", \"answers\": [\"Ann\"], "
            + "\"length\": 7, \"dataset\": \"narrativeqa\", \"language\": \"en\", \"all_classes\": null, \"_id\": \"a1\"}";
    static final String SUMMARY = "{\"input\": \"\", \"context\": \"Report text.\", \"answers\": [\"Short.\"], "
            + "\"length\": 2, \"dataset\": \"gov_report\", \"language\": \"en\", \"all_classes\": null, \"_id\": \"b2\"}";

    static Path file(String content) throws Exception {
        Path p = Files.createTempFile("longbench", ".jsonl");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void contextFirstThenTheQuestionOrASummaryRequest() throws Exception {
        List<Review> rows = LongBench.read(file(QA + "\n\n" + SUMMARY + "\n"), 10);
        assertEquals(2, rows.size());
        assertEquals("A long story by Ann.\n\n" + LongBench.QUESTION + "Who wrote it?\nAnswer:", rows.get(0).text());
        assertEquals("Report text.\n\n" + LongBench.SUMMARY, rows.get(1).text());
        assertEquals("", rows.get(0).sentiment());
        assertEquals(1, LongBench.read(file(QA + "\n" + SUMMARY + "\n"), 1).size(), "reads only what it needs");
    }

    @Test
    void scanReportsEveryBadLineAndKeepsTheGoodOnes() throws Exception {
        Path p = file(QA + "\n{\"input\": \"q\"}\n" + SUMMARY + "\n{\"context\": 5, \"input\": \"q\"}\nnot json\n");
        LongBench.Scan scan = LongBench.scan(p);
        assertEquals(2, scan.prompts().size());
        assertEquals(List.of(p + ":2: field 'context' is missing", p + ":4: field 'context' must be a string, got number"),
                scan.problems().subList(0, 2));
        assertTrue(scan.problems().get(2).startsWith(p + ":5: not a JSON object at column 4"), scan.problems().get(2));
    }

    @Test
    void readStopsAtTheFirstBadLineNamingIt() throws Exception {
        Path p = file(QA + "\n{\"input\": \"q\", \"context\": \"c\", \"answers\": \"x\"}\n");
        assertEquals(p + ":2: field 'answers' must be a list, got string",
                assertThrows(DatasetException.class, () -> LongBench.read(p, 10)).getMessage());
    }
}
