package io.tokenscope.aggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.request.RequestMetricsProcessor;
import io.tokenscope.aggregator.deadletter.TelemetryReader;
import io.tokenscope.registry.AvroSerde;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.schemas.WindowAggregate;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole topology in Kafka Streams' test driver, with the real Confluent serde. */
class TopologyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long IDLE_MS = 60_000;

    private FakeRegistry registry;
    private TopologyTestDriver driver;
    private ConfluentAvro avro;
    private TestInputTopic<String, SpecificRecord> telemetry;
    private TestInputTopic<byte[], byte[]> rawTelemetry;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, RequestMetrics> metrics;
    private TestOutputTopic<String, WindowAggregate> windows;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry();
        ConfluentAvro avro = new ConfluentAvro(new RegistryClient(registry.url()));
        AggregatorConfig config = AggregatorConfig.parse(new String[] {"--topic", "t", "--idle-timeout-s",
            String.valueOf(IDLE_MS / 1000), "--window-s", "10", "--grace-s", "30",
            "--state-dir", Files.createTempDirectory("topology-test").toString()});
        Properties props = Aggregator.streamsProperties(config);
        this.avro = avro;
        driver = new TopologyTestDriver(Topology.build(config, () -> new TelemetryReader(avro), new AvroSerde<>(avro, RequestMetrics.class), new AvroSerde<>(avro, WindowAggregate.class)), props, T0);
        telemetry = driver.createInputTopic("t", Serdes.String().serializer(),
                new AvroSerde<>(avro, SpecificRecord.class).serializer());
        rawTelemetry = driver.createInputTopic("t", new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic("t.dead-letter", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        metrics = driver.createOutputTopic("t.request-metrics", Serdes.String().deserializer(),
                new AvroSerde<>(avro, RequestMetrics.class).deserializer());
        windows = driver.createOutputTopic("t.window-aggregates", Serdes.String().deserializer(),
                new AvroSerde<>(avro, WindowAggregate.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
    }

    static RequestStarted started(String id, Instant at) {
        return new RequestStarted("run", id, "sc", 1, 4, "http://e", "m", "chat", at, 100, 32);
    }

    static TokenChunk chunk(String id, Instant start, int index, long arrivalNs) {
        return new TokenChunk("run", id, "sc", 1, 4, "http://e", "m", index, 1, arrivalNs,
                start.plusNanos(arrivalNs / 1000 * 1000), "tok");
    }

    static RequestFinished finished(String id, Instant start, long endNs, int chunks) {
        return new RequestFinished("run", id, "sc", 1, 4, "http://e", "m", "ok", 200, null, null, endNs,
                start.plusNanos(endNs), chunks, "length", 100, chunks, 10, 0L);
    }

    private void send(SpecificRecord event, Instant at) {
        telemetry.pipeInput(new TestRecord<>(key(event), event, at));
    }

    private static String key(SpecificRecord event) {
        return event.get(event.getSchema().getField("request_id").pos()).toString();
    }

    /** Sends a start and chunks at 50, 60, 70 ... ms, all at T0 on the driver's clock. */
    private void openRequest(String id, int chunks) {
        send(started(id, T0), T0);
        for (int i = 0; i < chunks; i++) {
            send(chunk(id, T0, i, 50_000_000L + 10_000_000L * i), T0);
        }
    }

    @Test
    void finishedRequestGivesItsMetricsAtOnce() {
        openRequest("a", 3);
        send(finished("a", T0, 80_000_000L, 3), T0);
        RequestMetrics m = metrics.readValue();
        assertEquals("ok", m.getStatus());
        assertEquals(50.0, m.getTtftMs(), 1e-9);
        assertEquals(10.0, m.getMeanItlMs(), 1e-9);
        assertTrue(metrics.isEmpty());
        assertNull(driver.getKeyValueStore(RequestMetricsProcessor.STORE).get("a"), "state forgotten at the end");
    }

    @Test
    void idleRequestClosesAsIncompleteWithWhatWasMeasured() {
        openRequest("b", 3);
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS - 2_000));
        assertTrue(metrics.isEmpty(), "still within its idle timeout");

        driver.advanceWallClockTime(Duration.ofMillis(2_000));
        TestRecord<String, RequestMetrics> closed = metrics.readRecord();
        RequestMetrics m = closed.value();
        assertEquals("incomplete", m.getStatus());
        assertEquals("idle_timeout", m.getErrorClass());
        assertEquals("run", m.getRunId());
        assertEquals(3, m.getChunks());
        assertEquals(3, m.getOutputTokens());
        assertEquals(50.0, m.getTtftMs(), 1e-9);
        assertEquals(10.0, m.getMeanItlMs(), 1e-9);
        assertEquals(70.0, m.getE2eMs(), 1e-9, "up to the last chunk seen");
        assertEquals(T0, m.getStartWallUs());
        assertEquals(T0.plusMillis(70), m.getEndWallUs());
        assertNull(m.getPromptTokens(), "only the end carries usage");
        assertEquals(T0.toEpochMilli(), closed.timestamp(), "timestamped at the stream time, not the wall clock");
        assertTrue(metrics.isEmpty());

        WindowAggregate w = lastWindow();
        assertEquals(1, w.getRequests());
        assertEquals(0, w.getSuccesses());
        assertEquals(1, w.getIncompleteRequests());
    }

    private void sample(String phase, int secondsIn, double queries, double hits) {
        Instant at = T0.plusSeconds(secondsIn);
        telemetry.pipeInput(new TestRecord<>("run", new ServerMetricSample("run", "sc", 1, 4, "http://e", "m", phase,
                at, queries, hits), at));
    }

    @Test
    void serverCounterGrowthIsCountedInTheWindowOfTheLaterSample() {
        sample("round_start", 1, 1_000, 200);
        assertTrue(windows.isEmpty(), "one sample is no growth yet");
        sample("periodic", 5, 1_500, 500);
        sample("periodic", 12, 1_700, 600);
        sample("round_end", 14, 1_800, 700);
        List<WindowAggregate> all = windows.readValuesToList();
        WindowAggregate first = all.stream().filter(w -> w.getWindowStart().equals(T0)).reduce((a, b) -> b).orElseThrow();
        assertEquals(500, first.getServerQueriedTokens(), 1e-9);
        assertEquals(300, first.getServerHitTokens(), 1e-9);
        assertEquals(0.6, first.getServerCacheHitRate(), 1e-9);
        assertEquals(0, first.getRequests(), "no request ended in it; the server still did work");
        assertNull(first.getCacheHitRate(), "no usage to rate");
        WindowAggregate second = all.get(all.size() - 1);
        assertEquals(T0.plusSeconds(10), second.getWindowStart());
        assertEquals(300, second.getServerQueriedTokens(), 1e-9);
        assertEquals(200.0 / 300, second.getServerCacheHitRate(), 1e-9);
        assertNull(driver.getKeyValueStore(io.tokenscope.aggregator.server.CounterGrowth.STORE).get(
                new Labels("run", "sc", 1, 4, "http://e", "m").key()), "forgotten at the round's end");
    }

    @Test
    void aCounterThatWentDownIsAServerRestartAndItsNewValueIsTheGrowth() {
        sample("round_start", 1, 1_000, 200);
        sample("periodic", 3, 120, 30);
        WindowAggregate w = lastWindow();
        assertEquals(120, w.getServerQueriedTokens(), 1e-9);
        assertEquals(30, w.getServerHitTokens(), 1e-9);
    }

    @Test
    void aNonFiniteCounterSampleIsSkippedAndTheGrowthAroundItKept() {
        sample("round_start", 1, 1_000, 200);
        sample("periodic", 3, Double.NaN, 300);
        sample("periodic", 4, 1_400, Double.POSITIVE_INFINITY);
        sample("periodic", 5, 1_500, 500);
        sample("periodic", 6, 1_600, 550);
        WindowAggregate w = lastWindow();
        assertEquals(600, w.getServerQueriedTokens(), 1e-9);
        assertEquals(350, w.getServerHitTokens(), 1e-9);
    }

    @Test
    void windowsWithoutServerSamplesHaveNoServerRate() {
        openRequest("s", 2);
        send(finished("s", T0, 70_000_000L, 2), T0);
        WindowAggregate w = lastWindow();
        assertNull(w.getServerQueriedTokens());
        assertNull(w.getServerCacheHitRate());
        assertEquals(0, w.getIncompleteRequests());
    }

    @Test
    void anIdleCloseDoesNotMoveEventTimePastOpenWindows() {
        // The aggregator is behind: its wall clock is a minute past the events it reads. Stamped
        // with the wall clock, the close would end the event-time windows still being filled.
        openRequest("x", 1);
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS));
        assertEquals("incomplete", metrics.readValue().getStatus());
        openRequest("y", 2);
        send(finished("y", T0, 70_000_000L, 2), T0);
        WindowAggregate w = lastWindow();
        assertEquals(T0, w.getWindowStart());
        assertEquals(2, w.getRequests(), "the incomplete request and the one that ended after it");
        assertEquals(1, w.getSuccesses());
    }

    @Test
    void aLabelTooLongToKeepIsDeadLetteredAndTheJobGoesOn() {
        String huge = "m".repeat(70_000);
        TokenChunk bad = new TokenChunk("run", "h", "sc", 1, 4, "http://e", huge, 0, 1, 50_000_000L, T0, "tok");
        send(bad, T0);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals("field 'model' is 70000 UTF-8 bytes; labels are kept up to 4096", header(dead.get(0), "error"));
        openRequest("ok-after", 2);
        send(finished("ok-after", T0, 70_000_000L, 2), T0);
        assertEquals("ok", metrics.readValue().getStatus());
    }

    @Test
    void numbersTheTablesCannotHoldAreDeadLetteredNotWrapped() {
        send(new TokenChunk("run", "r1", "sc", 70_000, 4, "http://e", "m", 0, 1, 50_000_000L, T0, "tok"), T0);
        send(new TokenChunk("run", "r2", "sc", 1, 4, "http://e", "m", -3, 1, 50_000_000L, T0, "tok"), T0);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("field 'round' is 70000; rounds are stored as 0..65535",
                "field 'chunk_index' is -3; it is a count, >= 0"), dead.stream().map(d -> header(d, "error")).toList());
        openRequest("ok-after", 2);
        send(finished("ok-after", T0, 70_000_000L, 2), T0);
        assertEquals("ok", metrics.readValue().getStatus());
    }

    @Test
    void wallTimesOutsideWhatIsStoredAreDeadLetteredAndTheJobGoesOn() {
        Instant before1970 = Instant.EPOCH.minusSeconds(5);
        // Nanoseconds since 1970 written where microseconds belong: the year 57,000 or so.
        Instant nanosAsMicros = Instant.EPOCH.plus(T0.toEpochMilli() * 1_000_000L, java.time.temporal.ChronoUnit.MICROS);
        send(new TokenChunk("run", "w1", "sc", 1, 4, "http://e", "m", 0, 1, 50_000_000L, before1970, "tok"), T0);
        openRequest("w2", 2);
        RequestFinished farAhead = finished("w2", nanosAsMicros, 70_000_000L, 2);
        send(farAhead, T0);
        telemetry.pipeInput(new TestRecord<>("run", new ServerMetricSample("run", "sc", 1, 4, "http://e", "m",
                "periodic", before1970, 1.0, 1.0), T0));
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("field 'wall_us' is -5000000 µs since 1970; wall times are kept from 1970 to 2299",
                "field 'wall_us' is " + (farAhead.getWallUs().getEpochSecond() * 1_000_000L
                        + farAhead.getWallUs().getNano() / 1_000)
                        + " µs since 1970; wall times are kept from 1970 to 2299",
                "field 'wall_us' is -5000000 µs since 1970; wall times are kept from 1970 to 2299"),
                dead.stream().map(d -> header(d, "error")).toList());
        openRequest("ok-after", 2);
        send(finished("ok-after", T0, 70_000_000L, 2), T0);
        assertEquals("ok", metrics.readValue().getStatus());
        assertEquals(T0, lastWindow().getWindowStart(), "stream time did not leap to the year 57,000");
    }

    @Test
    void aLabelHoldingTheKeySeparatorIsDeadLetteredSoItCannotPassForAnotherConfiguration() {
        send(new TokenChunk("r\u001fsc", "k1", "x", 1, 4, "http://e", "m", 0, 1, 50_000_000L, T0, "tok"), T0);
        assertEquals("field 'run_id' holds the control character U+001F, which the aggregator joins labels with",
                header(deadLetters.readRecord(), "error"));
    }

    @Test
    void lateEndOfAClosedRequestIsNotCountedTwice() {
        openRequest("c", 2);
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS));
        assertEquals("incomplete", metrics.readValue().getStatus());
        long windowsBefore = windows.getQueueSize();

        Instant late = T0.plusMillis(IDLE_MS + 5_000);
        send(chunk("c", T0, 2, 70_000_000L), late);
        send(finished("c", T0, 80_000_000L, 3), late);
        assertTrue(metrics.isEmpty(), "no second row for the request");
        assertEquals(windowsBefore, windows.getQueueSize(), "no window counts it again");

        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS * 3));
        assertTrue(metrics.isEmpty(), "the late chunk opened no new request to time out");
    }

    @Test
    void closedMarkerIsForgottenAfterTenTimeouts() {
        openRequest("d", 1);
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS));
        assertNotNull(driver.getKeyValueStore(RequestMetricsProcessor.STORE).get("d"), "marker kept");
        driver.advanceWallClockTime(Duration.ofMillis(10 * IDLE_MS));
        assertNull(driver.getKeyValueStore(RequestMetricsProcessor.STORE).get("d"), "marker forgotten");
    }

    @Test
    void anEventKeepsARequestOpen() {
        openRequest("e", 1);
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS - 1_000));
        send(chunk("e", T0, 1, 60_000_000L), T0.plusMillis(IDLE_MS - 1_000));
        driver.advanceWallClockTime(Duration.ofMillis(IDLE_MS - 1_000));
        assertTrue(metrics.isEmpty(), "idle time counts from the last event");
        driver.advanceWallClockTime(Duration.ofMillis(1_000));
        assertEquals(2, metrics.readValue().getChunks());
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicAsTheyWereWithTheReason() {
        byte[] good = avro.encode("t", started("x", T0));
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        byte[] unknownId = good.clone();
        unknownId[4] = 99;
        byte[] truncated = java.util.Arrays.copyOf(good, 9);
        byte[] notTelemetry = avro.encode("t", finishedMetrics());
        for (byte[] value : List.of(badMagic, unknownId, truncated, notTelemetry)) {
            rawTelemetry.pipeInput("x".getBytes(), value, T0);
        }
        rawTelemetry.pipeInput(null, good, T0);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(5, dead.size());
        assertArrayEquals(badMagic, dead.get(0).value(), "the value as it was");
        assertArrayEquals("x".getBytes(), dead.get(0).key(), "the key as it was");
        assertEquals("magic byte is 7, expected 0 (Confluent wire format)", header(dead.get(0), "error"));
        assertTrue(header(dead.get(1), "error").startsWith("schema id 99 cannot be resolved"), header(dead.get(1), "error"));
        assertTrue(header(dead.get(2), "error").startsWith("body of a record with schema id"), header(dead.get(2), "error"));
        assertEquals("io.tokenscope.schemas.RequestMetrics is not a telemetry event (RequestStarted, TokenChunk, "
                + "RequestFinished or ServerMetricSample)", header(dead.get(3), "error"));
        assertEquals("record has no key; telemetry is keyed by request_id", header(dead.get(4), "error"));
        for (int i = 0; i < dead.size(); i++) {
            assertEquals("t", header(dead.get(i), "source-topic"));
            assertEquals("0", header(dead.get(i), "source-partition"));
            assertEquals(String.valueOf(i), header(dead.get(i), "source-offset"));
        }
        assertTrue(metrics.isEmpty());

        openRequest("after-poison", 2);
        send(finished("after-poison", T0, 70_000_000L, 2), T0);
        assertEquals("ok", metrics.readValue().getStatus(), "the app goes on");
    }

    private static RequestMetrics finishedMetrics() {
        return new RequestMetrics("run", "x", "sc", 1, 4, "e", "m", "ok", 200, null, T0, T0, 1.0, 1.0, 1.0, 2.0, 1, 1,
                null, null, null, 0.0);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private WindowAggregate lastWindow() {
        List<WindowAggregate> all = windows.readValuesToList();
        assertTrue(!all.isEmpty(), "a window update");
        return all.get(all.size() - 1);
    }
}
