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
    private static final List<String> SIM_JVM = List.of("-Xms1g", "-Xmn512m", "-XX:+AlwaysPreTouch");
    private static final List<String> AGGREGATOR_JVM = List.of("-Xms512m");

    final ChildProcess sim;
    final ChildProcess aggregator;
    final String simUrl;
    final String registryUrl;
    final String topic;
    final String database;

    Pipeline(String... simFlags) throws Exception {
        this(List.of(), simFlags);
    }

    /** With aggregator flags added to (or overriding) the defaults below. */
    Pipeline(List<String> aggregatorFlags, String... simFlags) throws Exception {
        String kafka = Services.kafka();
        String clickhouse = Services.clickhouseUrl();
        this.topic = Services.unique("e2e-telemetry");
        this.database = Services.unique("e2e");
        int simPort = freePort();
        int registryPort = freePort();
        List<String> sim = new ArrayList<>(List.of("--port", String.valueOf(simPort)));
        sim.addAll(Arrays.asList(simFlags));
        this.sim = ChildProcess.start("llm-sim", "io.tokenscope.sim.Main", "llm-sim serving", SIM_JVM,
                sim.toArray(String[]::new));
        this.simUrl = "http://127.0.0.1:" + simPort;
        List<String> aggregatorArgs = new ArrayList<>(List.of("--kafka-bootstrap", kafka, "--topic", topic,
                "--application-id", topic + "-app",
                "--state-dir", Files.createTempDirectory("tokenscope-e2e-state").toString(),
                "--embedded-registry-port", String.valueOf(registryPort),
                "--clickhouse-url", clickhouse, "--clickhouse-database", database, "--sink-flush-ms", "200"));
        aggregatorArgs.addAll(aggregatorFlags);
        try {
            this.aggregator = ChildProcess.start("aggregator", 10, "io.tokenscope.aggregator.Main",
                    "stream-aggregator running", AGGREGATOR_JVM, aggregatorArgs.toArray(String[]::new));
        } catch (Exception | Error e) {
            this.sim.close();
            throw e;
        }
        this.registryUrl = "http://127.0.0.1:" + registryPort;
    }

    LoadRun.Report run(String runId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--endpoint", simUrl, "--kafka-bootstrap", Services.kafka(),
                "--topic", topic, "--schema-registry-url", registryUrl, "--run-id", runId));
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
