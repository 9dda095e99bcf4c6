package io.tokenscope.producer.report;

import io.tokenscope.cli.Csv;
import io.tokenscope.producer.ProducerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An earlier run's metrics_summary.csv, to print this run's change against it per
 * (concurrency, round): negative is better for latencies, positive for throughput.
 */
public final class Baseline {
    private static final String[] COLUMNS = {"ttft_p50_ms", "ttft_p99_ms", "itl_p50_ms", "tpot_p50_ms", "e2e_p50_ms",
        "output_tokens_per_s", "requests_per_s"};

    private final Path file;
    private final Map<String, Map<String, Double>> rows = new HashMap<>();

    private Baseline(Path file) {
        this.file = file;
    }

    /** Reads DIR/metrics_summary.csv (or a CSV path); errors name --baseline and the line. */
    public static Baseline read(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("metrics_summary.csv") : dirOrFile;
        Baseline b = new Baseline(file);
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            Csv.Records records = new Csv.Records(in);
            List<String> headerCells = records.next();
            if (headerCells == null) {
                throw new IllegalArgumentException("--baseline: " + file + " is empty");
            }
            String[] header = headerCells.toArray(String[]::new);
            if (!headerCells.contains("concurrency") || !headerCells.contains("round")) {
                throw new IllegalArgumentException("--baseline: " + file + ":1 is not a metrics_summary.csv header");
            }
            List<String> record;
            while ((record = records.next()) != null) {
                String[] cells = record.toArray(String[]::new);
                if (cells.length != header.length) {
                    throw new IllegalArgumentException("--baseline: " + file + ":" + records.recordStartLine() + " has "
                            + cells.length + " cells, the header has " + header.length);
                }
                Map<String, Double> row = new HashMap<>();
                for (int c = 0; c < header.length; c++) {
                    try {
                        row.put(header[c], cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
                    } catch (NumberFormatException e) {
                        // text columns such as run_id
                    }
                }
                Double length = row.get("input_length");
                b.rows.put(key(row.get("concurrency").intValue(), row.get("round").intValue(),
                        length == null || length.isNaN() ? 0 : length.intValue()), row);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--baseline: cannot read " + file + ": " + e.getMessage());
        }
        return b;
    }

    private static String key(int concurrency, int round, int inputLength) {
        return concurrency + "/" + round + "/" + inputLength;
    }

    public void printChange(PrintStream out, List<ResultFiles.Config> configs) {
        out.printf("%nChange against baseline %s (%%; negative latency and positive throughput are better)%n", file);
        out.printf("%-11s %-5s", "concurrency", "round");
        for (String c : COLUMNS) out.printf(" %14s", c);
        out.println();
        for (ResultFiles.Config c : configs) {
            Map<String, Double> base = rows.get(key(c.concurrency(), c.round(), c.inputLength()));
            out.printf("%-11s %-5d", ProducerConfig.concurrencyLabel(c.concurrency()), c.round());
            RunSummary s = c.summary();
            double[] now = {s.ttft().p50(), s.ttft().p99(), s.itl().p50(), s.tpot().p50(), s.e2e().p50(),
                s.outputTokensPerS(), s.requestsPerS()};
            for (int i = 0; i < COLUMNS.length; i++) {
                Double was = base == null ? null : base.get(COLUMNS[i]);
                if (was == null || was.isNaN() || was == 0 || Double.isNaN(now[i])) {
                    out.printf(" %14s", "-");
                } else {
                    out.printf(" %+13.1f%%", 100 * (now[i] - was) / was);
                }
            }
            out.println();
        }
    }
}
