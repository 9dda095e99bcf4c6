package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.drive.RequestResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineTest {
    private static ResultFiles.Config config(double ttftMs) {
        return config(4, ttftMs);
    }

    private static ResultFiles.Config config(int concurrency, double ttftMs) {
        RequestResult r = new RequestResult("id", true, 200, null, null, (long) (ttftMs * 1e6),
                new long[] {10_000_000L}, new int[] {1, 1}, 200_000_000L, 2, 2, "length", 10, 2, 0, 0, "", 0);
        return new ResultFiles.Config(concurrency, 1, "s", 0, RunSummary.of("run", List.of(r), 1.0), List.of(r), null);
    }

    @Test
    void printsThePercentChangeFromTheEarlierRunsFiles() throws Exception {
        Path earlier = Files.createTempDirectory("baseline");
        ResultFiles.write(earlier, List.of(config(50)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Baseline.read(earlier).printChange(new PrintStream(out, true, StandardCharsets.UTF_8), List.of(config(100)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("+100.0%"), text);
        assertTrue(text.contains("+0.0%"), "unchanged throughput: " + text);
    }

    @Test
    void everyRequestAtOnceIsLabelledAsTheFlagIsWritten() throws Exception {
        Path earlier = Files.createTempDirectory("baseline");
        ResultFiles.write(earlier, List.of(config(0, 50)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Baseline.read(earlier).printChange(print, List.of(config(0, 100)));
        RunSummary.printComparison(print, List.of(config(0, 50), config(0, 100)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\nall         1 "), text);
        assertTrue(text.contains("+100.0%"), "the row matched its baseline: " + text);
        assertFalse(text.contains("\n0 "), text);
    }

    @Test
    void aScenarioOrRunIdWithCommasAndQuotesIsOneCell() throws Exception {
        RequestResult r = new RequestResult("id", true, 200, null, null, 50_000_000L, new long[] {10_000_000L},
                new int[] {1, 1}, 200_000_000L, 2, 2, "length", 10, 2, 0, 0, "", 0);
        Path earlier = Files.createTempDirectory("baseline");
        ResultFiles.write(earlier, List.of(new ResultFiles.Config(4, 1, "rag,v2 \"long\"", 0,
                RunSummary.of("run,1", List.of(r), 1.0), List.of(r), null)));
        String row = Files.readAllLines(earlier.resolve("metrics_summary.csv")).get(1);
        assertTrue(row.startsWith("\"run,1\",4,1,"), row);
        assertTrue(row.contains(",\"rag,v2 \"\"long\"\"\","), row);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Baseline.read(earlier).printChange(new PrintStream(out, true, StandardCharsets.UTF_8), List.of(config(100)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("+100.0%"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileWrittenBeforeTheScheduleLagColumnsIsReadAsBefore() throws Exception {
        RequestResult r = new RequestResult("id", true, 200, null, null, 50_000_000L, new long[] {10_000_000L},
                new int[] {1, 1}, 200_000_000L, 2, 2, "length", 10, 2, 0, 0, "", 0);
        Path earlier = Files.createTempDirectory("baseline");
        ResultFiles.write(earlier, List.of(new ResultFiles.Config(4, 1, "sc", 0, RunSummary.of("run", List.of(r), 1.0),
                List.of(r), null)));
        Path csv = earlier.resolve("metrics_summary.csv");
        List<String> older = Files.readAllLines(csv).stream()
                .map(line -> line.substring(0, line.indexOf(line.startsWith("run_id") ? ",schedule_lag_mean_ms" : ",0.0000,0.0000")))
                .toList();
        assertTrue(older.get(0).endsWith(",scenario,input_length"), older.get(0));
        Files.write(csv, older);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Baseline.read(earlier).printChange(new PrintStream(out, true, StandardCharsets.UTF_8), List.of(config(100)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("+100.0%"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBareQuoteInsideACellOfAnOlderFileIsText() throws Exception {
        assertEquals(List.of(List.of("a\"b", "4", "x\"", ""), List.of("a,\"b\"", "4")),
                records("a\"b,4,x\",\n\"a,\"\"b\"\"\",4\n"));
    }

    private static List<List<String>> records(String csv) throws Exception {
        io.tokenscope.cli.Csv.Records records = new io.tokenscope.cli.Csv.Records(
                new java.io.BufferedReader(new java.io.StringReader(csv)));
        List<List<String>> all = new java.util.ArrayList<>();
        for (List<String> r; (r = records.next()) != null; ) all.add(r);
        return all;
    }

    @Test
    void badBaselinesNameTheFlagAndLine() throws Exception {
        Path missing = Path.of("/nonexistent/run");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Baseline.read(missing)).getMessage()
                .startsWith("--baseline"));
        Path ragged = Files.createTempFile("summary", ".csv");
        Files.writeString(ragged, "run_id,concurrency,round\nx,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Baseline.read(ragged)).getMessage()
                .contains(ragged + ":2"));
    }
}
