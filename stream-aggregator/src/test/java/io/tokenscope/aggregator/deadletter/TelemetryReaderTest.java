package io.tokenscope.aggregator.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.FakeRegistry;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.TokenChunk;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelemetryReaderTest {
    private FakeRegistry registry;
    private ConfluentAvro avro;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry();
        avro = new ConfluentAvro(new RegistryClient(registry.url()));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static String text(SplittableRandom rnd, int maxLength) {
        return io.tokenscope.aggregator.RandomText.of(rnd, maxLength);
    }


    private static TokenChunk withoutText(TokenChunk c) {
        TokenChunk copy = TokenChunk.newBuilder(c).build();
        copy.setText("");
        return copy;
    }

    @Test
    void tokenEventsReadAsTheResolvingDecoderReadsThemButForTheirText() {
        SplittableRandom rnd = new SplittableRandom(13);
        TelemetryReader reader = new TelemetryReader(avro);
        // Few label spellings, as in a run, and past the cache's bound, as when labels churn; now
        // and then a model name too long to keep.
        String[] runs = new String[TelemetryReader.MAX_CACHED_LABELS + 100];
        for (int i = 0; i < runs.length; i++) runs[i] = text(rnd, 12) + i;
        for (int i = 0; i < 5_000; i++) {
            String run = runs[i < 2_000 ? rnd.nextInt(3) : rnd.nextInt(runs.length)];
            TokenChunk c = new TokenChunk(run, text(rnd, 40), text(rnd, 10), rnd.nextInt(0, 65_536),
                    rnd.nextInt(), text(rnd, 30), text(rnd, i % 250 == 0 ? 5_000 : 30), rnd.nextInt(), rnd.nextInt(),
                    rnd.nextLong(),
                    Instant.ofEpochSecond(rnd.nextLong(-4_000_000_000L, 4_000_000_000L), rnd.nextInt(1_000_000) * 1000L),
                    text(rnd, i % 100 == 0 ? 5_000 : 20));
            byte[] framed = avro.encode("t", c);
            assertEquals(withoutText((TokenChunk) avro.decode(framed)), reader.apply(framed), "record " + i);
        }
    }

    @Test
    void otherEventsAndOtherWriterSchemasGoThroughTheResolvingDecoder() throws Exception {
        TelemetryReader reader = new TelemetryReader(avro);
        RequestFinished f = RequestFinished.newBuilder().setRunId("r").setRequestId("q").setScenario("s").setRound(1)
                .setConcurrency(2).setEndpoint("e").setModel("m").setStatus("ok").setHttpStatus(200)
                .setErrorClass(null).setEndNs(5).setWallUs(Instant.EPOCH).setChunks(0).setPromptTokens(null)
                .setCompletionTokens(null).setCachedTokens(null).build();
        assertEquals(f, reader.apply(avro.encode("t", f)));

        // An older producer's token event: the same fields with its text ahead of the labels.
        Schema older = new Schema.Parser().parse(TokenChunk.getClassSchema().toString()
                .replace("{\"name\":\"text\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}}", "")
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"text\",\"type\":\"string\"},")
                .replace("},]", "}]"));
        GenericRecord r = new GenericData.Record(older);
        r.put("text", "kept");
        r.put("run_id", "r");
        r.put("request_id", "q");
        r.put("scenario", "s");
        r.put("round", 1);
        r.put("concurrency", 2);
        r.put("endpoint", "e");
        r.put("model", "m");
        r.put("chunk_index", 3);
        r.put("tokens_in_chunk", 1);
        r.put("arrival_ns", 7L);
        r.put("wall_us", 9L);
        int id = new RegistryClient(registry.url()).register("t-" + older.getFullName(), older);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {ConfluentAvro.MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(r, e);
        e.flush();
        SpecificRecord read = reader.apply(out.toByteArray());
        assertEquals("kept", ((TokenChunk) read).getText(), "an older writer's text is decoded as before");
        assertEquals(3, ((TokenChunk) read).getChunkIndex());
    }

    @Test
    void aNegativeTextLengthIsMalformedAsTheResolvingDecoderFindsIt() {
        TelemetryReader reader = new TelemetryReader(avro);
        byte[] framed = avro.encode("t", new TokenChunk("r", "q", "s", 1, 2, "e", "m", 3, 1, 7L, Instant.EPOCH, ""));
        // The empty text is its last byte, a zig-zag 0; 0x01 reads as length -1.
        framed[framed.length - 1] = 0x01;
        assertThrows(ConfluentAvro.MalformedRecordException.class, () -> avro.decode(framed));
        var e = assertThrows(ConfluentAvro.MalformedRecordException.class, () -> reader.apply(framed));
        assertTrue(e.getMessage().contains("text length is -1"), e.getMessage());
    }

    @Test
    void aTruncatedTokenEventIsMalformedNamingItsSchemaId() {
        TelemetryReader reader = new TelemetryReader(avro);
        TokenChunk c = new TokenChunk("r", "q", "s", 1, 2, "e", "m", 3, 1, 7L, Instant.EPOCH, "hello");
        byte[] whole = avro.encode("t", c);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        var e = assertThrows(ConfluentAvro.MalformedRecordException.class, () -> reader.apply(truncated));
        assertTrue(e.getMessage().startsWith("body of a record with schema id 1 does not decode"), e.getMessage());
        assertEquals(withoutText(c), reader.apply(whole), "the next good record still reads");
    }
}
