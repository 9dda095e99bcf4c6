package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.aggregator.sink.ClickHouse;
import io.tokenscope.aggregator.sink.ClickHouseSink;
import io.tokenscope.kafka.Topics;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryServer;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.TokenChunk;
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
 * The ClickHouse sink on the real broker and ClickHouse: a second consumer group reads the same
 * records again, as a sink that crashed after its insert and before its offset commit would,
 * and the stored row count does not move, not even before a merge (no FINAL).
 */
class SinkReplayTest {
    private static final int ROWS = 50;

    @Test
    void replayedBatchLeavesRowCountsUnchanged() throws Exception {
        String topic = Services.unique("e2e-sink-replay");
        String db = Services.unique("e2e_sink");
        Topics.ensure(KafkaConnection.plain(Services.kafka()), 1, Map.of(), List.of(topic));
        ClickHouse clickhouse = new ClickHouse(Services.clickhouseUrl(), db, "default", "");
        clickhouse.applyDdl(90, 730);
        try (RegistryServer registry = RegistryServer.start(KafkaConnection.plain(Services.kafka()), 0, "_schemas")) {
            ConfluentAvro avro = new ConfluentAvro(new RegistryClient(registry.url()));
            produceChunks(avro, topic, "replay");

            String count = "SELECT count() FROM " + db + ".token_events";
            assertEquals(ROWS, copyOnce(avro, clickhouse, topic, "first"));
            assertEquals(ROWS, Services.count(count));

            assertEquals(ROWS, copyOnce(avro, clickhouse, topic, "replay"), "the replay sent every row again");
            assertEquals(ROWS, Services.count(count), "ClickHouse dropped the replayed batch");
            assertEquals(ROWS, Services.count(count + " FINAL"));
        }
    }

    @Test
    void aTopicCreatedAnewIsStoredThoughItsOffsetsStartAgain() throws Exception {
        String topic = Services.unique("e2e-sink-recreated");
        String db = Services.unique("e2e_sink_recreated");
        KafkaConnection kafka = KafkaConnection.plain(Services.kafka());
        Topics.ensure(kafka, 1, Map.of(), List.of(topic));
        ClickHouse clickhouse = new ClickHouse(Services.clickhouseUrl(), db, "default", "");
        clickhouse.applyDdl(90, 730);
        try (RegistryServer registry = RegistryServer.start(kafka, 0, "_schemas")) {
            ConfluentAvro avro = new ConfluentAvro(new RegistryClient(registry.url()));
            produceChunks(avro, topic, "before");
            assertEquals(ROWS, copyOnce(avro, clickhouse, topic, "before"));
            Properties p = new Properties();
            p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
                admin.deleteTopics(List.of(topic)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
                long deadline = System.currentTimeMillis() + 30_000;
                while (admin.listTopics().names().get().contains(topic) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
            }
            Topics.ensure(kafka, 1, Map.of(), List.of(topic));
            produceChunks(avro, topic, "after");
            assertEquals(ROWS, copyOnce(avro, clickhouse, topic, "after"));
            assertEquals(2 * ROWS, Services.count("SELECT count() FROM " + db + ".token_events FINAL"),
                    "the new topic's rows, at the old offsets, were dropped as repeats");
        }
    }

    @Test
    void whatTheStreamsAppDeadLettersAndRecordsOnTheWrongTopicAreNotStored() throws Exception {
        String telemetry = Services.unique("e2e-sink-skips");
        String metrics = telemetry + ".request-metrics";
        String db = Services.unique("e2e_sink_skips");
        KafkaConnection kafka = KafkaConnection.plain(Services.kafka());
        Topics.ensure(kafka, 1, Map.of(), List.of(telemetry, metrics));
        ClickHouse clickhouse = new ClickHouse(Services.clickhouseUrl(), db, "default", "");
        clickhouse.applyDdl(90, 730);
        try (RegistryServer registry = RegistryServer.start(kafka, 0, "_schemas")) {
            ConfluentAvro avro = new ConfluentAvro(new RegistryClient(registry.url()));
            produceChunks(avro, telemetry, "kept");
            Instant now = Instant.now();
            TokenChunk chunk = new TokenChunk("skipped", "q", "sc", 1, 1, "http://e", "m", 0, 1, 5L, now, "t");
            RequestMetrics request = new RequestMetrics("skipped", "q", "sc", 1, 1, "http://e", "m", "ok", 200, null, now,
                    now, 1.0, null, null, 1.0, 1, 1, null, null, null, 0.0);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                // Each is dead-lettered by the Streams app, or never written where it is found.
                producer.send(new ProducerRecord<>(telemetry, null, avro.encode(telemetry, chunk)));
                producer.send(new ProducerRecord<>(telemetry, "q", avro.encode(telemetry, request)));
                producer.send(new ProducerRecord<>(metrics, "q", avro.encode(metrics, chunk)));
                producer.send(new ProducerRecord<>(metrics, "q", avro.encode(metrics, request)));
                producer.flush();
            }
            ClickHouseSink sink = new ClickHouseSink(kafka, telemetry + "-sink",
                    new ClickHouseSink.Topics(telemetry, metrics, null, null), clickhouse, avro,
                    new ClickHouseSink.Batching(10_000, 64L << 20, 500));
            sink.start();
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while ((sink.rowsWritten() < ROWS + 1 || sink.undecodable() < 3) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(ROWS + 1, sink.rowsWritten());
                assertEquals(3, sink.undecodable());
            } finally {
                sink.close();
            }
            assertEquals(ROWS, Services.count("SELECT count() FROM " + db + ".token_events FINAL"));
            assertEquals(0, Services.count("SELECT count() FROM " + db + ".token_events WHERE run_id = 'skipped'"));
            assertEquals(1, Services.count("SELECT count() FROM " + db + ".requests FINAL WHERE run_id = 'skipped'"),
                    "the request row from its own topic");
        }
    }

    private static void produceChunks(ConfluentAvro avro, String topic, String run) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            Instant start = Instant.now();
            for (int i = 0; i < ROWS; i++) {
                TokenChunk c = new TokenChunk(run, "r-" + i / 10, "sc", 1, 1, "http://e", "m", i % 10, 1,
                        1_000_000L * i, start.plusMillis(i), "t");
                producer.send(new ProducerRecord<>(topic, c.getRequestId(), avro.encode(topic, c)));
            }
            producer.flush();
        }
    }

    /** Runs a sink in a consumer group of its own until it has written every row; returns rows written. */
    private static long copyOnce(ConfluentAvro avro, ClickHouse clickhouse, String topic, String group)
            throws InterruptedException {
        ClickHouseSink sink = new ClickHouseSink(KafkaConnection.plain(Services.kafka()), topic + "-" + group, ClickHouseSink.Topics.telemetryOnly(topic), clickhouse,
                avro, new ClickHouseSink.Batching(10_000, 64L << 20, 2_000));
        sink.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (sink.rowsWritten() < ROWS && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, sink.failedInserts());
            return sink.rowsWritten();
        } finally {
            sink.close();
        }
    }
}
