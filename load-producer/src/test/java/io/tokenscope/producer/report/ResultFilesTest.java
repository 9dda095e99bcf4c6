package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.cli.Csv;
import io.tokenscope.producer.drive.RequestResult;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFilesTest {
    private static RequestResult held(String id, boolean ok, double ttftMs, double lagMs) {
        return new RequestResult(id, ok, ok ? 200 : 503, ok ? null : "http_503", null, ok ? (long) (ttftMs * 1e6) : -1,
                new long[0], new int[] {1}, 100_000_000L, ok ? 1 : 0, ok ? 1 : 0, "length", 10, null, 0,
                (long) (lagMs * 1e6), "", 0);
    }

    /** An open loop's summary row carries its schedule lag, failures included, and TTFT from the intended start. */
    @Test
    void summaryRowsCarryTheScheduleLagAndTtftFromTheIntendedStart() throws Exception {
        List<RequestResult> results = List.of(held("a", true, 50, 0), held("b", true, 50, 100), held("c", false, 0, 400));
        RunSummary s = RunSummary.of("run", results, 1.0);
        Path dir = Files.createTempDirectory("results");
        ResultFiles.write(dir, List.of(new ResultFiles.Config(4, 1, "sc", 0, s, results, null)));
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("metrics_summary.csv"))) {
            Csv.Records records = new Csv.Records(in);
            List<String> header = records.next();
            List<String> row = records.next();
            assertEquals(header.size(), row.size());
            assertEquals("400.0000", row.get(header.indexOf("schedule_lag_max_ms")), "the failed request's wait counts");
            assertEquals("3", row.get(header.indexOf("requests")));
            assertEquals("150.0000", row.get(header.indexOf("ttft_from_intended_max_ms")));
            assertEquals("50.0000", row.get(header.indexOf("ttft_max_ms")), "TTFT itself stays from the send");
            assertEquals("input_length", header.get(header.indexOf("schedule_lag_mean_ms") - 1),
                    "the new columns follow the older ones");
        }
        String json = Files.readString(dir.resolve("concurrency_4_round_1.json"));
        org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"schedule_lag_ms\" : 100.0"), json);
    }
}
