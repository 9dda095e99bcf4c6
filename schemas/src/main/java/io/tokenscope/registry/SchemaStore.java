package io.tokenscope.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.kafka.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Schemas kept the way Confluent's registry keeps them: a compacted single-partition Kafka
 * topic ({@code _schemas}) whose keys and values are the JSON documents Confluent writes, read
 * from the start when the registry starts. This registry is a single writer (no leader
 * election), which is all the embedded mode needs.
 */
final class SchemaStore implements AutoCloseable {
    record Version(String subject, int version, int id, String schema) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Map<String, TreeMap<Integer, Version>> subjects = new HashMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, String> compatibility = new HashMap<>();
    private int maxId;

    SchemaStore(KafkaConnection kafka, String topic) {
        this.topic = topic;
        Topics.ensure(kafka, 1, Map.of("cleanup.policy", "compact"), List.of(topic));
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        replay(kafka);
    }

    private void replay(KafkaConnection kafka) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r.key(), r.value());
                }
            }
        }
    }

    private void apply(String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            if (value == null) {
                return;
            }
            JsonNode v = JSON.readTree(value);
            switch (k.path("keytype").asText()) {
                case "SCHEMA" -> {
                    if (v.path("deleted").asBoolean(false)) {
                        return;
                    }
                    Version ver = new Version(v.get("subject").asText(), v.get("version").asInt(), v.get("id").asInt(),
                            v.get("schema").asText());
                    subjects.computeIfAbsent(ver.subject(), s -> new TreeMap<>()).put(ver.version(), ver);
                    schemaById.put(ver.id(), ver.schema());
                    idByCanonical.put(canonical(ver.schema()), ver.id());
                    maxId = Math.max(maxId, ver.id());
                }
                case "CONFIG" -> compatibility.put(k.path("subject").isNull() ? "" : k.path("subject").asText(),
                        v.path("compatibilityLevel").asText("BACKWARD"));
                default -> { /* other Confluent key types (MODE, NOOP, ...) do not affect this registry */ }
            }
        } catch (Exception e) {
            throw new IllegalStateException("unreadable record in " + topic + " with key " + key, e);
        }
    }

    private static String canonical(String schema) {
        return SchemaNormalization.toParsingForm(new Schema.Parser().parse(schema));
    }

    synchronized Optional<String> schema(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    synchronized Set<String> subjects() {
        return new TreeMap<>(subjects).keySet();
    }

    synchronized List<Integer> versions(String subject) {
        TreeMap<Integer, Version> v = subjects.get(subject);
        return v == null ? null : new ArrayList<>(v.keySet());
    }

    synchronized Optional<Version> version(String subject, String version) {
        TreeMap<Integer, Version> v = subjects.get(subject);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if ("latest".equals(version) || "-1".equals(version)) {
            return Optional.of(v.lastEntry().getValue());
        }
        return Optional.ofNullable(v.get(Integer.parseInt(version)));
    }

    /** The version under which this exact schema (by canonical form) is registered, if any. */
    synchronized Optional<Version> lookup(String subject, Schema schema) {
        TreeMap<Integer, Version> v = subjects.get(subject);
        if (v == null) {
            return Optional.empty();
        }
        String form = SchemaNormalization.toParsingForm(schema);
        return v.values().stream().filter(ver -> canonical(ver.schema()).equals(form)).findFirst();
    }

    synchronized String compatibility(String subject) {
        return compatibility.getOrDefault(subject, compatibility.getOrDefault("", "BACKWARD"));
    }

    synchronized void setCompatibility(String subject, String level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        write(key.toString(), JSON.createObjectNode().put("compatibilityLevel", level).toString());
        compatibility.put(subject == null ? "" : subject, level);
    }

    /**
     * Registers the schema under the subject, or returns the existing version. Throws
     * {@link RegistryException} 409 when the subject's compatibility rule rejects it.
     */
    synchronized Version register(String subject, Schema schema) {
        Optional<Version> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        TreeMap<Integer, Version> versions = subjects.getOrDefault(subject, new TreeMap<>());
        checkCompatible(subject, schema, versions);
        String text = schema.toString();
        int id = idByCanonical.getOrDefault(SchemaNormalization.toParsingForm(schema), maxId + 1);
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject)
                .put("version", version).put("magic", 1);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", text).put("deleted", false);
        write(key.toString(), value.toString());
        apply(key.toString(), value.toString());
        return subjects.get(subject).get(version);
    }

    private void checkCompatible(String subject, Schema candidate, TreeMap<Integer, Version> versions) {
        String level = compatibility(subject);
        if (versions.isEmpty() || "NONE".equals(level)) {
            return;
        }
        boolean transitive = level.endsWith("_TRANSITIVE");
        List<Version> against = transitive ? new ArrayList<>(versions.values()) : List.of(versions.lastEntry().getValue());
        for (Version existing : against) {
            Schema old = new Schema.Parser().parse(existing.schema());
            boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
            boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
            if (backward && !compatible(candidate, old)) {
                throw new RegistryException(409, "schema is not " + level + " compatible with version "
                        + existing.version() + " of " + subject + ": the new schema cannot read data written with it");
            }
            if (forward && !compatible(old, candidate)) {
                throw new RegistryException(409, "schema is not " + level + " compatible with version "
                        + existing.version() + " of " + subject + ": the old schema cannot read data written with it");
            }
        }
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private void write(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(50001, "interrupted while writing to " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new RegistryException(50001, "cannot write to " + topic + ": " + e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
