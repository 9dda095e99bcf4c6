package io.tokenscope.e2e;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.ProducerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole pipeline on real services: the simulator and the aggregator (with its embedded
 * registry) each in a JVM of its own, the producer in the test's JVM. Each pipeline has names
 * (topics, app id, database) of its own so tests never see each other's data.
 */
final class Pipeline implements AutoCloseable {
    private static final List<String> SIM_JVM = List.of("-XX:+UseZGC", "-Xms1g", "-XX:+AlwaysPreTouch");
    private static final List<String> AGGREGATOR_JVM = List.of("-Xms512m");

    final ChildProcess sim;
    private ChildProcess aggregator;
    private final List<String> aggregatorArgs;
    final String simUrl;
    final String registryUrl;
    final String topic;
    final String database;
    final String kafka;

    /** Kafka client settings (--kafka-properties) and ClickHouse credentials, for secured services. */
    record Credentials(String kafkaProperties, String clickhouseUser, String clickhousePassword) {
        static final Credentials NONE = new Credentials(null, "default", "");
    }

    private final Credentials credentials;

    Pipeline(String... simFlags) throws Exception {
        this(Services.kafka(), Services.clickhouseUrl(), Credentials.NONE, List.of(), List.of(simFlags));
    }

    /** With aggregator flags added to (or overriding) the defaults below. */
    Pipeline(List<String> aggregatorFlags, String... simFlags) throws Exception {
        this(Services.kafka(), Services.clickhouseUrl(), Credentials.NONE, aggregatorFlags, List.of(simFlags));
    }

    /** A pipeline on the given Kafka and ClickHouse, e.g. private ones a fault test may stop. */
    static Pipeline on(String kafka, String clickhouse, String... simFlags) throws Exception {
        return new Pipeline(kafka, clickhouse, Credentials.NONE, List.of(), List.of(simFlags));
    }

    /** As above, on services that want credentials. */
    static Pipeline secured(String kafka, String clickhouse, Credentials credentials, String... simFlags)
            throws Exception {
        return new Pipeline(kafka, clickhouse, credentials, List.of(), List.of(simFlags));
    }

    private Pipeline(String kafka, String clickhouse, Credentials credentials, List<String> aggregatorFlags,
                     List<String> simFlags) throws Exception {
        this.kafka = kafka;
        this.credentials = credentials;
        this.topic = Services.unique("e2e-telemetry");
        this.database = Services.unique("e2e");
        int simPort = freePort();
        int registryPort = freePort();
        List<String> sim = new ArrayList<>(List.of("--port", String.valueOf(simPort)));
        sim.addAll(simFlags);
        this.sim = ChildProcess.start("llm-sim", "io.tokenscope.sim.Main", "llm-sim serving", SIM_JVM,
                sim.toArray(String[]::new));
        this.simUrl = "http://127.0.0.1:" + simPort;
        List<String> aggregatorArgs = new ArrayList<>(List.of("--kafka-bootstrap", kafka, "--topic", topic,
                "--application-id", topic + "-app",
                "--state-dir", Files.createTempDirectory("tokenscope-e2e-state").toString(),
                "--embedded-registry-port", String.valueOf(registryPort),
                "--clickhouse-url", clickhouse, "--clickhouse-database", database, "--sink-flush-ms", "200",
                "--clickhouse-user", credentials.clickhouseUser()));
        if (credentials.kafkaProperties() != null) {
            aggregatorArgs.addAll(List.of("--kafka-properties", credentials.kafkaProperties()));
        }
        aggregatorArgs.addAll(aggregatorFlags);
        this.aggregatorArgs = List.copyOf(aggregatorArgs);
        try {
            this.aggregator = startAggregator();
        } catch (Exception | Error e) {
            this.sim.close();
            throw e;
        }
        this.registryUrl = "http://127.0.0.1:" + registryPort;
    }

    private ChildProcess startAggregator() throws Exception {
        // The password goes through the environment, as a deployment would pass it, not the command line.
        return ChildProcess.start("aggregator", 10, java.util.Map.of("CLICKHOUSE_PASSWORD", credentials.clickhousePassword()),
                "io.tokenscope.aggregator.Main", "stream-aggregator running", AGGREGATOR_JVM,
                aggregatorArgs.toArray(String[]::new));
    }

    /** kill -9 of the aggregator, then a new one with the same application id and state directory. */
    /** The Kafka Streams application id every aggregator instance of this pipeline shares. */
    String applicationId() {
        return topic + "-app";
    }

    /**
     * One more aggregator instance with the same application id (its own state directory and
     * registry port), as a scale-out deployment runs them; the caller stops it.
     */
    ChildProcess startAnotherAggregator() throws Exception {
        List<String> args = new ArrayList<>(aggregatorArgs);
        args.set(args.indexOf("--state-dir") + 1, Files.createTempDirectory("tokenscope-e2e-state").toString());
        args.set(args.indexOf("--embedded-registry-port") + 1, String.valueOf(freePort()));
        return ChildProcess.start("aggregator-2", 10, java.util.Map.of("CLICKHOUSE_PASSWORD", credentials.clickhousePassword()),
                "io.tokenscope.aggregator.Main", "stream-aggregator running", AGGREGATOR_JVM, args.toArray(String[]::new));
    }

    /** Everything the simulator and the aggregator have printed. */
    String serverOutput() throws java.io.IOException {
        return sim.output() + "\n" + aggregator.output();
    }

    void crashAndRestartAggregator() throws Exception {
        aggregator.kill9();
        aggregator = startAggregator();
    }

    LoadRun.Report run(String runId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--endpoint", simUrl, "--kafka-bootstrap", kafka,
                "--topic", topic, "--schema-registry-url", registryUrl, "--run-id", runId));
        if (credentials.kafkaProperties() != null) {
            args.addAll(List.of("--kafka-properties", credentials.kafkaProperties()));
        }
        args.addAll(Arrays.asList(extra));
        return LoadRun.execute(ProducerConfig.parse(args.toArray(String[]::new)));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        aggregator.close();
        sim.close();
    }
}
