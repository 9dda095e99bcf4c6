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

    private PrivateService(String script, String portVariable, int port, Path runDir) {
        this.script = script;
        this.portVariable = portVariable;
        this.port = port;
        this.runDir = runDir;
    }

    static PrivateService kafka() throws Exception {
        // The broker takes PORT and PORT + 1 (its controller).
        return started("kafka.sh", "TOKENSCOPE_KAFKA_PORT", freePortPair());
    }

    static PrivateService clickhouse() throws Exception {
        return started("clickhouse.sh", "TOKENSCOPE_CLICKHOUSE_PORT", freePortPair());
    }

    private static PrivateService started(String script, String variable, int port) throws Exception {
        PrivateService s = new PrivateService(script, variable, port, Files.createTempDirectory("tokenscope-private-"));
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
