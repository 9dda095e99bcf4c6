package io.tokenscope.aggregator.deadletter;

import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.TokenChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * Telemetry bodies to events for one stream task (not thread-safe). Token events are nearly
 * every record, and the Streams job never reads their text: the sink copies it to ClickHouse
 * from the telemetry topic itself. Decoding that text was about a tenth of the stream thread's
 * time, so a token event written with this build's schema is read field by field with its
 * {@code text} skipped (left empty), and its labels, the same in every event of a run, are turned
 * into Strings once. Every other record, and any other writer schema, goes through the
 * resolving decoder of {@link ConfluentAvro#decode}, with the same errors.
 */
public final class TelemetryReader implements Function<byte[], SpecificRecord> {
    /** Label spellings kept; a run has a handful, so reaching this means labels churn and the cache starts over. */
    static final int MAX_CACHED_LABELS = 1024;

    private final ConfluentAvro avro;
    /** By identity: the codec hands out one Schema per id, and Schema.equals walks every field. */
    private final Map<Schema, Boolean> skipsTextBySchema = new IdentityHashMap<>();
    private final Map<Utf8, String> labels = new HashMap<>();
    private Utf8 scratch = new Utf8();
    private BinaryDecoder decoder;

    public TelemetryReader(ConfluentAvro avro) {
        this.avro = avro;
    }

    @Override
    public SpecificRecord apply(byte[] framed) {
        Schema writer = avro.writerSchema(framed);
        if (!skipsTextBySchema.computeIfAbsent(writer, w -> w.equals(TokenChunk.getClassSchema()))) {
            return avro.decode(framed);
        }
        decoder = DecoderFactory.get().binaryDecoder(framed, ConfluentAvro.HEADER,
                framed.length - ConfluentAvro.HEADER, decoder);
        try {
            String runId = label();
            String requestId = decoder.readString();
            String scenario = label();
            int round = decoder.readInt();
            int concurrency = decoder.readInt();
            String endpoint = label();
            String model = label();
            int chunkIndex = decoder.readInt();
            int tokensInChunk = decoder.readInt();
            long arrivalNs = decoder.readLong();
            long wallUs = decoder.readLong();
            long textBytes = decoder.readLong();
            if (textBytes < 0 || textBytes > Integer.MAX_VALUE) {
                // readString refuses these too; skipString would pass a negative length silently.
                throw new IOException("text length is " + textBytes);
            }
            decoder.skipFixed((int) textBytes);
            return new TokenChunk(runId, requestId, scenario, round, concurrency, endpoint, model, chunkIndex,
                    tokensInChunk, arrivalNs, Instant.ofEpochSecond(Math.floorDiv(wallUs, 1_000_000L),
                            Math.floorMod(wallUs, 1_000_000L) * 1_000L), "");
        } catch (IOException | RuntimeException e) {
            throw new ConfluentAvro.MalformedRecordException("body of a record with schema id "
                    + ByteBuffer.wrap(framed, 1, 4).getInt() + " does not decode: " + e);
        }
    }

    private String label() throws IOException {
        Utf8 bytes = decoder.readString(scratch);
        if (bytes.getByteLength() > FieldRanges.MAX_LABEL_BYTES) {
            // Dead-lettered by FieldRanges; neither it nor a buffer its size is worth keeping.
            scratch = new Utf8();
            return bytes.toString();
        }
        String known = labels.get(bytes);
        if (known != null) {
            return known;
        }
        if (labels.size() >= MAX_CACHED_LABELS) {
            labels.clear();
        }
        String label = bytes.toString();
        labels.put(new Utf8(bytes), label);
        return label;
    }
}
