package io.tokenscope.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker or ClickHouse server of a test's own, started with the same scripts CI uses but
 * on free ports and a state directory of its own, so the test may stop and restart it without
 * disturbing the shared services other tests use.
 */
final class PrivateService implements AutoCloseable {
    private final String script;
    private final String portVariable;
    private final int port;
    private final Path runDir;

    private final java.util.Map<String, String> env;

    private PrivateService(String script, String portVariable, int port, Path runDir, java.util.Map<String, String> env) {
        this.env = env;
        this.script = script;
        this.portVariable = portVariable;
        this.port = port;
        this.runDir = runDir;
    }

    static PrivateService kafka() throws Exception {
        // The broker takes PORT and PORT + 1 (its controller).
        return started("kafka.sh", "TOKENSCOPE_KAFKA_PORT", freePortPair(), java.util.Map.of());
    }

    /** A broker whose client listener is SASL_SSL, user "tokenscope" with this password. */
    static PrivateService kafkaSaslSsl(String password) throws Exception {
        return started("kafka.sh", "TOKENSCOPE_KAFKA_PORT", freePortPair(), java.util.Map.of("TOKENSCOPE_KAFKA_PASSWORD", password));
    }

    static PrivateService clickhouse() throws Exception {
        return started("clickhouse.sh", "TOKENSCOPE_CLICKHOUSE_PORT", freePortPair(), java.util.Map.of());
    }

    /** A server with a user "tokenscope" that has this password. */
    static PrivateService clickhouseWithPassword(String password) throws Exception {
        return started("clickhouse.sh", "TOKENSCOPE_CLICKHOUSE_PORT", freePortPair(),
                java.util.Map.of("TOKENSCOPE_CLICKHOUSE_PASSWORD", password));
    }

    /** The client settings file a SASL_SSL broker writes for its clients. */
    String kafkaClientProperties() {
        return runDir.resolve("kafka-" + port).resolve("client.properties").toString();
    }

    private static PrivateService started(String script, String variable, int port, java.util.Map<String, String> env)
            throws Exception {
        PrivateService s = new PrivateService(script, variable, port, Files.createTempDirectory("tokenscope-private-"), env);
        s.start();
        return s;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + port;
    }

    String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws Exception {
        run("start");
    }

    /** A clean stop (SIGTERM, then SIGKILL after 10 s), keeping the data for the next start. */
    void stop() throws Exception {
        run("stop");
    }

    private void run(String action) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "services", script).toString(), action)
                .redirectErrorStream(true);
        pb.environment().put(portVariable, String.valueOf(port));
        pb.environment().put("TOKENSCOPE_RUN", runDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("services/" + script + " " + action + " failed: " + out);
        }
    }

    /** A free port whose successor is free too. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two adjacent free ports");
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
