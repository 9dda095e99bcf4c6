package io.tokenscope.aggregator.sink;

import io.tokenscope.aggregator.deadletter.FieldRanges;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.TokenChunk;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Token events from their Avro body straight into token_events rows, with no TokenChunk or
 * String in between. Token events are nearly every record the sink reads, and decoding them
 * to objects (then encoding their strings again) was its largest cost. This works because the
 * table's columns are the schema's fields in the same order, both formats write a string as a
 * length and its UTF-8 bytes, and the numbers only change encoding (Avro's zig-zag varints to
 * little-endian). Only bodies written with this build's schema come here; any other writer
 * schema (an older producer's) is resolved field by field through the decoder as before.
 */
final class TokenRows {
    private final Utf8 text = new Utf8();
    private BinaryDecoder decoder;
    /** By identity: the codec hands out one Schema per id, and Schema.equals walks every field. */
    private final Map<Schema, Boolean> copiesBySchema = new IdentityHashMap<>();

    /** Whether records of this writer schema can be copied field by field. */
    boolean copies(Schema writer) {
        return copiesBySchema.computeIfAbsent(writer, w -> w.equals(TokenChunk.getClassSchema()));
    }

    /**
     * Appends one framed record's row. A body that does not decode, or holds what
     * {@link FieldRanges} refuses (as the Streams app dead-letters it), leaves {@code out} as it
     * was and throws {@link ConfluentAvro.MalformedRecordException}.
     */
    void append(byte[] framed, RowBinary out) {
        decoder = DecoderFactory.get().binaryDecoder(framed, ConfluentAvro.HEADER,
                framed.length - ConfluentAvro.HEADER, decoder);
        int mark = out.mark();
        String problem;
        try {
            problem = label("run_id", out);
            problem = either(problem, string(out)); // request_id
            problem = either(problem, label("scenario", out));
            int round = decoder.readInt();
            problem = either(problem, FieldRanges.round(round));
            out.uint16(round);
            problem = either(problem, count("concurrency", out));
            problem = either(problem, label("endpoint", out));
            problem = either(problem, label("model", out));
            problem = either(problem, count("chunk_index", out));
            problem = either(problem, count("tokens_in_chunk", out));
            out.int64(decoder.readLong()); // arrival_ns
            long wallUs = decoder.readLong();
            problem = either(problem, FieldRanges.wallMicros("wall_us", wallUs));
            out.int64(wallUs); // timestamp-micros, as DateTime64(6) counts
            string(out); // text
        } catch (IOException | RuntimeException e) {
            out.rewind(mark);
            throw new ConfluentAvro.MalformedRecordException("body of a token event does not decode: " + e);
        }
        if (problem != null) {
            out.rewind(mark);
            throw new ConfluentAvro.MalformedRecordException(problem);
        }
    }

    /** Copies a string; never a problem, so callers can chain it with the checks that may be. */
    private String string(RowBinary out) throws IOException {
        Utf8 s = decoder.readString(text);
        out.utf8(s.getBytes(), s.getByteLength());
        return null;
    }

    private String label(String field, RowBinary out) throws IOException {
        Utf8 s = decoder.readString(text);
        out.utf8(s.getBytes(), s.getByteLength());
        return FieldRanges.label(field, s.getBytes(), s.getByteLength());
    }

    private String count(String field, RowBinary out) throws IOException {
        int v = decoder.readInt();
        out.uint32(v);
        return FieldRanges.notNegative(field, v);
    }

    private static String either(String first, String second) {
        return first != null ? first : second;
    }
}
