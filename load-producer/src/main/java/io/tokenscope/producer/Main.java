package io.tokenscope.producer;

import io.tokenscope.producer.report.RunSummary;

/**
 * Entry point: {@code java -jar load-producer-app.jar --endpoint http://127.0.0.1:8000 --requests 20},
 * or {@code java -jar load-producer-app.jar convert --input longbench:FILE --output OUT.jsonl}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("convert")) {
            System.exit(Convert.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        ProducerConfig config;
        try {
            config = ProducerConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LoadRun.Report report;
        try {
            report = LoadRun.execute(config);
        } catch (Preflight.Failed | io.tokenscope.producer.scenario.DatasetException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (!report.config().inputLengths().isEmpty()) {
            // One request per cell: the per-round summaries would repeat the table's figures.
            io.tokenscope.producer.report.InputSweepTable.print(System.out, report.configs());
        } else {
            for (var c : report.configs()) {
                System.out.printf("%n--- concurrency %s, round %d ---", ProducerConfig.concurrencyLabel(c.concurrency()), c.round());
                c.summary().print(System.out);
            }
            if (report.configs().size() > 1) {
                RunSummary.printComparison(System.out, report.configs());
            }
        }
        if (report.config().baseline() != null) {
            io.tokenscope.producer.report.Baseline.read(java.nio.file.Path.of(report.config().baseline()))
                    .printChange(System.out, report.configs());
        }
        if (report.config().outputDir() != null) {
            System.out.println("\nResults written to " + report.config().outputDir()
                    + " (metrics_summary.csv, " + (report.config().inputLengths().isEmpty()
                    ? "concurrency_<c>_round_<r>.json)" : "input_<L>_round_<r>.json)"));
        }
        System.out.printf("%nTelemetry: %d events acknowledged by Kafka topic %s, %d failed%s%n", report.eventsSent(),
                report.config().topic(), report.eventsFailed(),
                report.lastEmitError() == null ? "" : " (last error: " + report.lastEmitError() + ")");
        System.exit(report.eventsFailed() == 0 ? 0 : 3);
    }
}
