package io.tokenscope.aggregator;

import io.tokenscope.cli.Flags;
import io.tokenscope.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregator's configuration, validated at start-up; errors name the flag.
 *
 * @param schemaRegistryUrl null means: run the embedded registry on embeddedRegistryPort
 */
public record AggregatorConfig(KafkaConnection kafka, String telemetryTopic, String metricsTopic, String windowTopic,
                               String deadLetterTopic,
                               int partitions, String applicationId, Path stateDir, String schemaRegistryUrl,
                               int embeddedRegistryPort, String clickhouseUrl, String clickhouseDatabase,
                               String clickhouseUser, String clickhousePassword, long windowMs, long graceMs,
                               Slo slo, long idleTimeoutMs, int sinkBatchRows, int sinkBatchMb, long sinkFlushMs,
                               int rawRetentionDays,
                               int retentionDays) {

    /** Goodput bounds: a successful request is good when it meets every bound that is set (>0). */
    public record Slo(double ttftMs, double tpotMs, double e2eMs) {
        public boolean met(Double ttft, Double tpot, double e2e) {
            return (ttftMs <= 0 || (ttft != null && ttft <= ttftMs))
                    && (tpotMs <= 0 || tpot == null || tpot <= tpotMs)
                    && (e2eMs <= 0 || e2e <= e2eMs);
        }
    }

    public static final String USAGE = """
            stream-aggregator: Kafka Streams job from token events to metrics in ClickHouse
              --kafka-bootstrap H:P       Kafka bootstrap servers (default 127.0.0.1:19092)
              --kafka-properties FILE     Kafka client settings, e.g. security.protocol=SASL_SSL, sasl.*, ssl.*
              --topic NAME                telemetry topic (default tokenscope.telemetry)
              --partitions N              partitions for topics it creates (default 4)
              --application-id ID         Kafka Streams application id (default tokenscope-aggregator)
              --state-dir DIR             local state (default <tmp>/tokenscope-streams)
              --schema-registry-url URL   external Confluent-compatible registry (default: embedded)
              --embedded-registry-port N  port of the embedded registry (default 18081)
              --clickhouse-url URL        ClickHouse HTTP URL (default http://127.0.0.1:18123)
              --clickhouse-database DB    database (default tokenscope)
              --clickhouse-user U         user (default default)
              --clickhouse-password P     password (default empty; env CLICKHOUSE_PASSWORD also works)
              --window-s N                tumbling window size in seconds (default 10)
              --grace-s N                 grace period for late events in seconds (default 30)
              --slo-ttft-ms X             goodput bound on TTFT, 0 = none (default 1000)
              --slo-tpot-ms X             goodput bound on TPOT, 0 = none (default 100)
              --slo-e2e-ms X              goodput bound on end-to-end latency, 0 = none (default 0)
              --idle-timeout-s N          close a request with no event for N s as incomplete (default 300)
              --sink-batch-rows N         rows per ClickHouse insert at most (default 200000)
              --sink-batch-mb N           MiB of rows per ClickHouse insert at most, 1..512 (default 64)
              --sink-flush-ms N           insert at least this often when rows wait (default 500)
              --raw-retention-days N      keep raw token events N days (ClickHouse TTL; default 90)
              --retention-days N          keep request metrics and windows N days (default 730)
            """;

    public AggregatorConfig {
        List<String> errors = new ArrayList<>();
        if (kafka.bootstrap().isBlank()) errors.add("--kafka-bootstrap must not be empty");
        if (partitions < 1) errors.add("--partitions must be >= 1, got " + partitions);
        if (applicationId.isBlank()) errors.add("--application-id must not be empty");
        if (schemaRegistryUrl != null && !schemaRegistryUrl.matches("https?://.+")) {
            errors.add("--schema-registry-url must start with http:// or https://, got '" + schemaRegistryUrl + "'");
        }
        if (embeddedRegistryPort < 0 || embeddedRegistryPort > 65535) errors.add("--embedded-registry-port must be 0..65535");
        if (!clickhouseUrl.matches("https?://[^/]+/?")) {
            errors.add("--clickhouse-url must be http(s)://host:port, got '" + clickhouseUrl + "'");
        }
        if (!clickhouseDatabase.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            errors.add("--clickhouse-database must be an identifier, got '" + clickhouseDatabase + "'");
        }
        if (windowMs < 1000) errors.add("--window-s must be >= 1");
        if (graceMs < 0) errors.add("--grace-s must be >= 0");
        if (slo.ttftMs() < 0 || slo.tpotMs() < 0 || slo.e2eMs() < 0) errors.add("--slo-* bounds must be >= 0");
        if (idleTimeoutMs < 1000) errors.add("--idle-timeout-s must be >= 1, got " + idleTimeoutMs / 1000.0);
        if (sinkBatchRows < 1) errors.add("--sink-batch-rows must be >= 1");
        if (sinkBatchMb < 1 || sinkBatchMb > 512) errors.add("--sink-batch-mb must be 1..512, got " + sinkBatchMb);
        if (sinkFlushMs < 1) errors.add("--sink-flush-ms must be >= 1");
        if (rawRetentionDays < 1) errors.add("--raw-retention-days must be >= 1, got " + rawRetentionDays);
        if (retentionDays < 1) errors.add("--retention-days must be >= 1, got " + retentionDays);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
    }

    private static final java.util.Set<String> FLAGS = java.util.Set.of("--kafka-bootstrap", "--topic", "--partitions",
            "--application-id", "--state-dir", "--schema-registry-url", "--embedded-registry-port", "--clickhouse-url",
            "--clickhouse-database", "--clickhouse-user", "--clickhouse-password", "--window-s", "--grace-s",
            "--slo-ttft-ms", "--slo-tpot-ms", "--slo-e2e-ms", "--idle-timeout-s", "--sink-batch-rows", "--sink-batch-mb",
            "--sink-flush-ms", "--kafka-properties", "--raw-retention-days", "--retention-days");

    public static AggregatorConfig parse(String[] args) {
        Flags f = Flags.parse(args, USAGE, FLAGS);
        String topic = f.text("--topic", "tokenscope.telemetry");
        return new AggregatorConfig(KafkaConnection.of(f.text("--kafka-bootstrap", "127.0.0.1:19092"),
                f.text("--kafka-properties", null), "--kafka-properties"), topic, topic + ".request-metrics",
                topic + ".window-aggregates", topic + ".dead-letter", f.whole("--partitions", 4),
                f.text("--application-id", "tokenscope-aggregator"),
                Path.of(f.text("--state-dir", Path.of(System.getProperty("java.io.tmpdir"), "tokenscope-streams").toString())),
                f.text("--schema-registry-url", null), f.whole("--embedded-registry-port", 18081),
                f.text("--clickhouse-url", "http://127.0.0.1:18123"), f.text("--clickhouse-database", "tokenscope"),
                f.text("--clickhouse-user", "default"),
                f.text("--clickhouse-password", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "")),
                (long) (f.number("--window-s", 10) * 1000), (long) (f.number("--grace-s", 30) * 1000),
                new Slo(f.number("--slo-ttft-ms", 1000), f.number("--slo-tpot-ms", 100), f.number("--slo-e2e-ms", 0)),
                // Longer than the producer's own --timeout-s (120), so while a producer lives its
                // timeout record ends a silent request and this only catches ends that never come.
                (long) (f.number("--idle-timeout-s", 300) * 1000),
                // Fewer, larger inserts: at 20,000 rows ClickHouse's merges rewrote each stored row 8-9
                // times over a 4M-event backlog, at 200,000 about once (docs/benchmarks.md).
                f.whole("--sink-batch-rows", 200_000), f.whole("--sink-batch-mb", 64), f.whole("--sink-flush-ms", 500),
                f.whole("--raw-retention-days", 90), f.whole("--retention-days", 730));
    }

    /** What names the run-totals topic after the telemetry topic; the sink tells those records apart by it. */
    private static final String RUN_TOTALS_SUFFIX = ".run-totals";

    /** Whole-run totals per configuration, beside the windows. */
    public String runTotalsTopic() {
        return telemetryTopic + RUN_TOTALS_SUFFIX;
    }

    /** The settings as text, without the ClickHouse password. */
    @Override
    public String toString() {
        return "AggregatorConfig[kafka=" + kafka + ", topic=" + telemetryTopic + ", applicationId=" + applicationId
                + ", clickhouse=" + clickhouseUrl + "/" + clickhouseDatabase + " as " + clickhouseUser
                + (clickhousePassword.isEmpty() ? "" : " (password set)") + "]";
    }
}
