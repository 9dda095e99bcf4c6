package io.tokenscope.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Confluent's wire format: magic byte 0, the schema's 4-byte big-endian global id, then the
 * Avro binary body. Subjects follow TopicRecordNameStrategy ({@code <topic>-<record full name>})
 * because one topic carries several event types, keyed by request so each request stays ordered.
 * Decoding resolves the writer schema (by id) against the reader class of the same name, so a
 * reader built from a newer BACKWARD-compatible schema reads older records.
 */
public final class ConfluentAvro {
    public static final byte MAGIC = 0;
    /** Magic byte and schema id; the Avro body follows. */
    public static final int HEADER = 5;

    private final RegistryClient registry;
    /** By topic, then schema: a lookup per record that builds no subject string. */
    private final Map<String, Map<Schema, Integer>> idByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> writerById = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();
    private final Map<Schema, SpecificDatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    public ConfluentAvro(RegistryClient registry) {
        this.registry = registry;
    }

    public static String subject(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }

    /** Registers the schemas up front, so that encoding later makes no network call. */
    public void registerAll(String topic, Schema... schemas) {
        for (Schema schema : schemas) {
            ids(topic).put(schema, registry.register(subject(topic, schema), schema));
        }
    }

    public byte[] encode(String topic, SpecificRecord record) {
        Schema schema = record.getSchema();
        int id = ids(topic).computeIfAbsent(schema, s -> registry.register(subject(topic, s), s));
        Scratch scratch = this.scratch.get();
        ByteArrayOutputStream out = scratch.out;
        out.reset();
        out.write(MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        scratch.encoder = EncoderFactory.get().directBinaryEncoder(out, scratch.encoder);
        try {
            writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, scratch.encoder);
            scratch.encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + schema.getFullName(), e);
        }
        return out.toByteArray();
    }

    private Map<Schema, Integer> ids(String topic) {
        return idByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    }

    /**
     * Each encoding thread's buffer and encoder, reused: new ones per record (and the buffer's
     * growth to fit it) were about a quarter of what the producer's emitter thread allocated.
     */
    private static final class Scratch {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }

    /**
     * Decodes one framed record. Throws {@link MalformedRecordException} naming what is wrong
     * (framing, unknown id, no reader class, body) so callers can dead-letter the record.
     */
    public SpecificRecord decode(byte[] bytes) {
        int id = schemaId(bytes);
        SpecificDatumReader<SpecificRecord> reader = readers.get(id);
        if (reader == null) {
            Schema writer = writerSchema(bytes);
            Class<?> type = SpecificData.get().getClass(writer);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new MalformedRecordException("schema id " + id + " is " + writer.getFullName()
                        + ", which this build has no class for");
            }
            Schema readerSchema = SpecificData.get().getSchema(type);
            reader = new SpecificDatumReader<>(writer, readerSchema);
            readers.put(id, reader);
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("body of a record with schema id " + id + " does not decode: " + e);
        }
    }

    /**
     * The schema a framed record was written with, asked of the registry once per id. For readers
     * that skip objects and read the body themselves; the body starts at {@link #HEADER}.
     */
    public Schema writerSchema(byte[] bytes) {
        int id = schemaId(bytes);
        Schema writer = writerById.get(id);
        if (writer != null) {
            return writer;
        }
        try {
            writer = registry.schemaById(id);
        } catch (RegistryException e) {
            int code = e.errorCode();
            if (code == -1 || (code >= 500 && code < 600) || code >= 50000) {
                // The record may be fine; the registry is not. Callers retry rather than discard.
                throw new RegistryUnavailableException("schema id " + id + " cannot be fetched now: " + e.getMessage());
            }
            throw new MalformedRecordException("schema id " + id + " cannot be resolved: " + e.getMessage());
        }
        writerById.put(id, writer);
        return writer;
    }

    private static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER) {
            throw new MalformedRecordException("record is " + (bytes == null ? "null" : bytes.length + " bytes")
                    + ", shorter than the 5-byte Confluent header");
        }
        if (bytes[0] != MAGIC) {
            throw new MalformedRecordException("magic byte is " + bytes[0] + ", expected 0 (Confluent wire format)");
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** The registry could not be asked (down, unreachable, 5xx): nothing is known to be wrong with the record. */
    public static final class RegistryUnavailableException extends RuntimeException {
        public RegistryUnavailableException(String message) {
            super(message);
        }
    }

    public static final class MalformedRecordException extends RuntimeException {
        public MalformedRecordException(String message) {
            super(message);
        }
    }
}
