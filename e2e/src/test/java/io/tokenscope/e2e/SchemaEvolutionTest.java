package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryException;
import io.tokenscope.registry.RegistryServer;
import io.tokenscope.schemas.TokenChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution under the registry's default BACKWARD rule, on the embedded registry (its
 * store on the real broker): the next version of the token event may add an optional field and
 * is accepted; a new required field is refused with 409. Both directions of a rolling upgrade
 * decode: this build reads records from a producer already on the next version, and a reader on
 * the next version reads this build's records, filling the new field with its default.
 */
class SchemaEvolutionTest {
    private static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) fields.add(new Schema.Field(f, f.schema()));
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private static TokenChunk chunk() {
        return new TokenChunk("run", "req-1", "s", 1, 4, "http://e", "m", 3, 2, 123_456_789L,
                Instant.parse("2026-11-22T12:00:00.123456Z"), " hello");
    }

    @Test
    void backwardCompatibleVersionsAreAcceptedAndDecodeBothWays() throws Exception {
        try (RegistryServer server = RegistryServer.start(KafkaConnection.plain(Services.kafka()), 0,
                Services.unique("_schemas_evolution"))) {
            RegistryClient registry = new RegistryClient(server.url());
            ConfluentAvro avro = new ConfluentAvro(registry);
            String topic = Services.unique("evolution");
            String subject = ConfluentAvro.subject(topic, TokenChunk.getClassSchema());
            int v1 = registry.register(subject, TokenChunk.getClassSchema());

            Schema optionalDouble = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.DOUBLE));
            Schema v2 = withField(TokenChunk.getClassSchema(),
                    new Schema.Field("logprob", optionalDouble, "log-probability of the chunk", JsonProperties.NULL_VALUE));
            int v2Id = registry.register(subject, v2);
            assertNotEquals(v1, v2Id);
            assertEquals(v1, registry.register(subject, TokenChunk.getClassSchema()), "registering again gives the same id");

            Schema v3 = withField(v2, new Schema.Field("required_new", Schema.create(Schema.Type.INT), null, (Object) null));
            RegistryException refused = assertThrows(RegistryException.class, () -> registry.register(subject, v3));
            assertEquals(409, refused.errorCode(), refused.getMessage());

            // A producer already on v2 writes; this build (generated v1 classes) reads it.
            GenericRecord next = new GenericData.Record(v2);
            TokenChunk expected = chunk();
            for (Schema.Field f : TokenChunk.getClassSchema().getFields()) {
                Object value = expected.get(f.pos());
                next.put(f.name(), value instanceof Instant i ? i.getEpochSecond() * 1_000_000 + i.getNano() / 1000 : value);
            }
            next.put("logprob", -0.25);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ConfluentAvro.MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(v2Id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(v2).write(next, encoder);
            encoder.flush();
            assertEquals(expected, avro.decode(out.toByteArray()));

            // This build writes; a reader already on v2 reads it with the new field's default.
            byte[] current = avro.encode(topic, expected);
            assertEquals(v1, ByteBuffer.wrap(current, 1, 4).getInt());
            GenericRecord read = new GenericDatumReader<GenericRecord>(registry.schemaById(v1), v2)
                    .read(null, DecoderFactory.get().binaryDecoder(current, 5, current.length - 5, null));
            assertNull(read.get("logprob"));
            assertEquals(" hello", read.get("text").toString());
            assertTrue(read.getSchema().getField("logprob") != null);

            // An id the registry does not know is the record's fault; a registry that cannot be
            // reached is not, and the caller must retry rather than dead-letter.
            byte[] unknownId = {0, 0, 0x0f, 0x42, 0x40, 2};
            assertThrows(ConfluentAvro.MalformedRecordException.class, () -> new ConfluentAvro(registry).decode(unknownId));
            server.close();
            var down = assertThrows(ConfluentAvro.RegistryUnavailableException.class,
                    () -> new ConfluentAvro(registry).decode(unknownId));
            assertTrue(down.getMessage().contains("schema id 1000000"), down.getMessage());
        }
    }
}
