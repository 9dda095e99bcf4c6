package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.ProducerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on secured services: Kafka whose only client listener is SASL_SSL (SASL/PLAIN over
 * TLS with a self-signed certificate), ClickHouse with a password-protected user, and an API key
 * for the endpoint. Everything must flow, a wrong secret must fail with a message naming the flag,
 * and no secret may appear in any log, output or result file.
 */
class SecurityTest {
    private static final String KAFKA_PASSWORD = "kafka-" + UUID.randomUUID();
    private static final String CLICKHOUSE_PASSWORD = "clickhouse-" + UUID.randomUUID();
    private static final String API_KEY = "sk-" + UUID.randomUUID();
    private static PrivateService kafka;
    private static PrivateService clickhouse;

    @BeforeAll
    static void start() throws Exception {
        kafka = PrivateService.kafkaSaslSsl(KAFKA_PASSWORD);
        clickhouse = PrivateService.clickhouseWithPassword(CLICKHOUSE_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) kafka.close();
        if (clickhouse != null) clickhouse.close();
    }

    @Test
    void everythingFlowsOverSaslSslAndNoSecretIsEverPrinted() throws Exception {
        assertTrue(Files.readString(Path.of(kafka.kafkaClientProperties())).contains("security.protocol=SASL_SSL"));
        Pipeline.Credentials credentials = new Pipeline.Credentials(kafka.kafkaClientProperties(), "tokenscope",
                CLICKHOUSE_PASSWORD);
        try (Pipeline pipeline = Pipeline.secured(kafka.kafkaBootstrap(), clickhouse.httpUrl(), credentials,
                "--engine", "fixed", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "8")) {
            String run = Services.unique("secured");
            Path results = Files.createTempDirectory("tokenscope-secured-results");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream out = System.out, err = System.err;
            LoadRun.Report report;
            try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                System.setErr(capture);
                report = pipeline.run(run, "--requests", "10", "--concurrency", "2", "--max-tokens", "8",
                        "--api-key", API_KEY, "--output-dir", results.toString());
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            assertEquals(10, report.summary().successes(), () -> "errors: " + report.summary().errors());
            assertEquals(0, report.eventsFailed(), report.lastEmitError());
            assertEquals(10 + 80 + 10 + 2, report.eventsSent(), "requests' events and the round's two server samples");
            Services.withClickHouse(clickhouse.httpUrl(), () -> {
                assertEquals(10, Services.awaitCount("SELECT count() FROM " + pipeline.database
                        + ".requests FINAL WHERE run_id = '" + run + "'", 10, 60_000));
                assertEquals(80, Services.awaitCount("SELECT count() FROM " + pipeline.database
                        + ".token_events FINAL WHERE run_id = '" + run + "'", 80, 60_000));
            });

            StringBuilder everything = new StringBuilder(printed.toString(StandardCharsets.UTF_8))
                    .append(pipeline.serverOutput());
            try (Stream<Path> files = Files.list(results)) {
                for (Path f : files.toList()) everything.append(Files.readString(f));
            }
            everything.append(ProducerConfig.parse(new String[] {"--api-key", API_KEY, "--kafka-properties",
                kafka.kafkaClientProperties()})).append(AggregatorConfig.parse(new String[] {"--clickhouse-password",
                CLICKHOUSE_PASSWORD, "--kafka-properties", kafka.kafkaClientProperties()}));
            assertTrue(everything.indexOf("SASL_SSL") >= 0, "the configs say how Kafka is reached");
            for (String secret : List.of(KAFKA_PASSWORD, CLICKHOUSE_PASSWORD, API_KEY)) {
                assertFalse(everything.indexOf(secret) >= 0, "a secret was printed: " + secret.substring(0, 6) + "…");
            }
        }
    }

    @Test
    void aWrongKafkaPasswordFailsNamingTheSettingsFlag() throws Exception {
        Path wrong = Files.createTempFile("client", ".properties");
        Files.writeString(wrong, Files.readString(Path.of(kafka.kafkaClientProperties()))
                .replace(KAFKA_PASSWORD, "not-the-password"));
        try (Pipeline pipeline = new Pipeline("--engine", "fixed")) {
            var failure = assertThrows(RuntimeException.class, () -> LoadRun.execute(ProducerConfig.parse(new String[] {
                "--endpoint", pipeline.simUrl, "--kafka-bootstrap", kafka.kafkaBootstrap(),
                "--kafka-properties", wrong.toString(), "--requests", "1"})));
            assertTrue(failure.getMessage().contains("--kafka-properties"), failure.getMessage());
            assertFalse(failure.getMessage().contains("not-the-password"), failure.getMessage());
        }
    }

    @Test
    void aWrongClickHousePasswordStopsTheAggregatorNamingTheFlag() throws Exception {
        Pipeline.Credentials wrong = new Pipeline.Credentials(kafka.kafkaClientProperties(), "tokenscope", "wrong-password");
        var e = assertThrows(IllegalStateException.class, () -> Pipeline.secured(kafka.kafkaBootstrap(),
                clickhouse.httpUrl(), wrong, "--engine", "fixed").close());
        assertTrue(e.getMessage().contains("--clickhouse-password"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
    }
}
