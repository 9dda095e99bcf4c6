package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.sink.ClickHouse;
import io.tokenscope.aggregator.sink.ClickHouseSink;
import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.kafka.Topics;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryServer;
import io.tokenscope.schemas.TokenChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's partitions move while ClickHouse is down: a second sink joins the group while the
 * first is retrying a failed insert with its partitions paused. The first flushes in its
 * revocation callback, retrying there without polling (a poll would start the same rebalance
 * again, one call deeper each retry); partitions handed back arrive unpaused, and any record a
 * poll then returns is read again, not skipped and committed past. Every row, read before or
 * during the outage, is stored once ClickHouse is back.
 */
class SinkRebalanceTest {
    private static final int REQUESTS = 40;
    private static final int CHUNKS = 10;

    @Test
    void rowsReadWhileRetryingSurviveARebalance() throws Exception {
        String topic = Services.unique("e2e-sink-rebalance");
        String db = Services.unique("e2e_sink_rebalance");
        KafkaConnection kafka = KafkaConnection.plain(Services.kafka());
        Topics.ensure(kafka, 4, Map.of(), List.of(topic));
        new ClickHouse(Services.clickhouseUrl(), db, "default", "").applyDdl(90, 730);
        try (RegistryServer registry = RegistryServer.start(kafka, 0, "_schemas");
             Gate gate = new Gate(URI.create(Services.clickhouseUrl()))) {
            ConfluentAvro avro = new ConfluentAvro(new RegistryClient(registry.url()));
            ClickHouse viaGate = new ClickHouse(gate.url(), db, "default", "");
            ClickHouseSink.Batching batching = new ClickHouseSink.Batching(100_000, 64L << 20, 200);
            String group = topic + "-sink";
            produce(avro, topic, "first");
            ClickHouseSink a = new ClickHouseSink(kafka, group, ClickHouseSink.Topics.telemetryOnly(topic), viaGate, avro, batching);
            ClickHouseSink b = null;
            try {
                a.start();
                waitUntil(() -> a.failedInserts() >= 2, "the first sink retrying its insert");
                // Records the first sink has not read yet: after the rebalance some of them sit
                // in partitions it is given back.
                produce(avro, topic, "second");
                b = new ClickHouseSink(kafka, group, ClickHouseSink.Topics.telemetryOnly(topic), viaGate, avro, batching);
                b.start();
                // The first sink is now flushing in its revocation callback, so the rebalance waits
                // for ClickHouse; the second gets partitions only once it is back.
                Thread.sleep(5_000);
                gate.open();
                String stored = "SELECT count() FROM " + db + ".token_events FINAL";
                long expected = 2L * REQUESTS * CHUNKS;
                waitUntil(() -> Services.count(stored) >= expected, "every row stored");
                assertEquals(expected, Services.count(stored));
            } finally {
                a.close();
                if (b != null) b.close();
            }
        }
    }

    private static void produce(ConfluentAvro avro, String topic, String half) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            Instant start = Instant.now();
            for (int r = 0; r < REQUESTS; r++) {
                for (int i = 0; i < CHUNKS; i++) {
                    TokenChunk c = new TokenChunk("rebalance", half + "-" + r, "sc", 1, 1, "http://e", "m", i, 1,
                            1_000_000L * i, start.plusMillis(i), "t");
                    producer.send(new ProducerRecord<>(topic, c.getRequestId(), avro.encode(topic, c)));
                }
            }
            producer.flush();
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!check.done()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    /**
     * A loopback port in front of ClickHouse that turns every connection away until opened, then
     * relays bytes both ways: ClickHouse down and back up without stopping the shared server.
     */
    private static final class Gate implements AutoCloseable {
        private final ServerSocket server;
        private final URI target;
        private volatile boolean open;

        Gate(URI target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "clickhouse-gate");
            accept.setDaemon(true);
            accept.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        void open() {
            open = true;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (!open) {
                        client.close();
                        continue;
                    }
                    Socket upstream = new Socket(target.getHost(), target.getPort());
                    relay(client, upstream);
                    relay(upstream, client);
                } catch (IOException e) {
                    // closed, or one connection failed; the sink retries
                }
            }
        }

        private static void relay(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "clickhouse-gate-relay");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
