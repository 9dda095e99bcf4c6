package io.tokenscope.registry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde over {@link ConfluentAvro}: any specific record in, the matching class out. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final ConfluentAvro avro;
    private final Class<T> type;

    public AvroSerde(ConfluentAvro avro, Class<T> type) {
        this.avro = avro;
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : avro.encode(topic, record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            SpecificRecord record;
            try {
                record = avro.decode(bytes);
            } catch (ConfluentAvro.MalformedRecordException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
            if (!type.isInstance(record)) {
                throw new SerializationException("topic " + topic + ": expected " + type.getSimpleName() + ", got "
                        + record.getSchema().getFullName());
            }
            return type.cast(record);
        };
    }
}
