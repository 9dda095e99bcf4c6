package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.TokenChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong in production, on the real broker and ClickHouse: requests whose end never
 * comes and records that do not decode. Events are written to Kafka by hand so each fault is
 * exact. One partition, so a request sent after another is processed after it: a "sentinel"
 * request landing in ClickHouse proves everything sent before it was processed.
 */
class AggregatorFaultsEndToEndTest {
    private static Pipeline pipeline;
    private static KafkaProducer<String, byte[]> producer;
    private static ConfluentAvro avro;
    private static String db;

    @BeforeAll
    static void start() throws Exception {
        pipeline = new Pipeline(List.of("--partitions", "1", "--idle-timeout-s", "2"),
                "--engine", "fixed", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "4");
        db = pipeline.database;
        avro = new ConfluentAvro(new RegistryClient(pipeline.registryUrl));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) producer.close();
        if (pipeline != null) pipeline.close();
    }

    private static void send(String id, SpecificRecord event) throws Exception {
        send(id, avro.encode(pipeline.topic, event));
    }

    private static void send(String id, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(pipeline.topic, id, value)).get();
    }

    /** Sends a request's start and its first chunks (20 ms, then one every 5 ms); returns its start. */
    private static Instant startAndChunks(String run, String id, int chunks) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(id, new RequestStarted(run, id, "faults", 1, 1, "http://e", "m", "chat", start, 10, 8));
        for (int i = 0; i < chunks; i++) {
            send(id, chunk(run, id, start, i));
        }
        return start;
    }

    private static TokenChunk chunk(String run, String id, Instant start, int i) {
        long arrivalNs = 20_000_000L + 5_000_000L * i;
        return new TokenChunk(run, id, "faults", 1, 1, "http://e", "m", i, 1, arrivalNs,
                start.plusNanos(arrivalNs), "t" + i);
    }

    private static RequestFinished finished(String run, String id, Instant start, int chunks) {
        long endNs = 20_000_000L + 5_000_000L * chunks;
        return new RequestFinished(run, id, "faults", 1, 1, "http://e", "m", "ok", 200, null, null, endNs,
                start.plusNanos(endNs), chunks, "stop", 10, chunks, 0, 0L);
    }

    @Test
    void poisonRecordLandsInTheDeadLetterTopicAndTheAppGoesOn() throws Exception {
        String run = Services.unique("poison");
        byte[] poison = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
        RecordMetadata sent = producer.send(new ProducerRecord<>(pipeline.topic, "poison-1", poison)).get();
        sentinel(run, "after-poison");

        ConsumerRecord<byte[], byte[]> r = deadLetter("poison-1");
        assertArrayEquals(poison, r.value());
        assertTrue(header(r, "error").startsWith("schema id 32639 cannot be resolved"), header(r, "error"));
        assertEquals(pipeline.topic, header(r, "source-topic"));
        assertEquals(String.valueOf(sent.partition()), header(r, "source-partition"));
        assertEquals(String.valueOf(sent.offset()), header(r, "source-offset"));
        assertEquals("ok", Services.sql("SELECT status FROM " + db + ".requests FINAL WHERE request_id = 'after-poison'"));
    }

    /** The one dead letter keyed {@code key}, waited for; the tests share the topic. */
    private static ConsumerRecord<byte[], byte[]> deadLetter(String key) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(pipeline.topic + ".dead-letter"));
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (dead.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) dead.add(r);
                });
            }
            // Anything more for the key is already in: the first poll to find it read the topic's end.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) dead.add(r);
            });
            assertEquals(1, dead.size(), "one dead letter keyed " + key);
            return dead.get(0);
        }
    }

    @Test
    void anEventWithNumbersTheTablesCannotHoldIsDeadLetteredNotStoredWrappedAround() throws Exception {
        String run = Services.unique("ranges");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send("round-70000", new TokenChunk(run, "round-70000", "faults", 70_000, 1, "http://e", "m", 0, 1, 20_000_000L,
                start, "t"));
        send("many-tokens", new TokenChunk(run, "many-tokens", "faults", 1, 1, "http://e", "m", 0, 70_000, 20_000_000L,
                start, "t"));
        sentinel(run, "after-ranges");

        assertEquals("field 'round' is 70000; rounds are stored as 0..65535", header(deadLetter("round-70000"), "error"));
        // One partition, read in order: once the sentinel's token rows are in, so is all before them.
        String rows = " FROM " + db + ".token_events FINAL WHERE run_id = '" + run + "'";
        assertEquals(2, Services.awaitCount("SELECT count()" + rows + " AND request_id = 'after-ranges'", 2, 30_000));
        assertEquals("many-tokens\t70000", Services.sql("SELECT request_id, tokens_in_chunk" + rows
                + " AND request_id != 'after-ranges'"), "a chunk of 70,000 tokens is stored whole; the bad round is not");
    }

    private static Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Services.unique("dlq-reader"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A complete request; once it is in ClickHouse, everything sent before it was processed. */
    private static void sentinel(String run, String id) throws Exception {
        Instant start = startAndChunks(run, id, 2);
        send(id, finished(run, id, start, 2));
        assertEquals(1, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL WHERE request_id = '" + id
                + "'", 1, 60_000), "sentinel " + id + " stored");
    }

    @Test
    void requestWithoutAnEndIsStoredAsIncompleteAndALateEndIsNotCountedTwice() throws Exception {
        String run = Services.unique("idle");
        Instant start = startAndChunks(run, "idle-1", 3);
        String row = " FROM " + db + ".requests FINAL WHERE request_id = 'idle-1'";
        assertEquals(1, Services.awaitCount("SELECT count()" + row, 1, 60_000), "closed after 2 s idle");
        assertEquals("incomplete\tidle_timeout\t3\t3\t20\t5\t30",
                Services.sql("SELECT status, error_class, chunks, output_tokens, ttft_ms, mean_itl_ms, e2e_ms" + row));

        send("idle-1", chunk(run, "idle-1", start, 3));
        send("idle-1", finished(run, "idle-1", start, 4));
        sentinel(run, "after-late-end");

        assertEquals("incomplete\t3", Services.sql("SELECT status, chunks" + row), "the late end changed nothing");
        assertEquals(2, Services.count("SELECT count() FROM " + db + ".requests FINAL WHERE run_id = '" + run + "'"));
        String windows = " FROM " + db + ".window_aggregates FINAL WHERE run_id = '" + run + "'";
        assertEquals(2, Services.awaitCount("SELECT sum(requests)" + windows, 2, 30_000), "counted once in windows");
        assertEquals(1, Services.count("SELECT sum(successes)" + windows));
        assertEquals(1, Services.count("SELECT sum(incomplete_requests)" + windows), "counted as incomplete");
        assertEquals(4, Services.awaitCount("SELECT count() FROM " + db + ".token_events FINAL WHERE request_id = "
                + "'idle-1'", 4, 30_000), "the late chunk is still stored as a raw token event");
    }
}
