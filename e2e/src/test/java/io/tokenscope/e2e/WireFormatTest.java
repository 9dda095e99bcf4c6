package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.schemas.TokenChunk;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The producer's records are Confluent wire format as independent code reads it: ClickHouse's
 * own AvroConfluent input format decodes the raw Kafka values, fetching each schema by id from
 * the registry over Confluent's REST API, and gets back exactly what the producer measured.
 */
class WireFormatTest {
    @Test
    void clickhouseAvroConfluentDecodesTheProducersTokenChunks() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "fixed", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "6")) {
            String run = Services.unique("wire");
            LoadRun.Report report = pipeline.run(run, "--requests", "5", "--concurrency", "2", "--max-tokens", "6");
            assertEquals(5, report.summary().successes());

            int tokenChunkId = new RegistryClient(pipeline.registryUrl).register(
                    ConfluentAvro.subject(pipeline.topic, TokenChunk.getClassSchema()), TokenChunk.getClassSchema());
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            int chunks = 0;
            try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
                consumer.subscribe(List.of(pipeline.topic));
                long seen = 0;
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen < report.eventsSent() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        seen++;
                        byte[] v = r.value();
                        assertEquals(0, v[0], "magic byte");
                        if (ByteBuffer.wrap(v, 1, 4).getInt() == tokenChunkId) {
                            framed.writeBytes(v);
                            chunks++;
                        }
                    }
                }
                assertEquals(report.eventsSent(), seen, "records read back from Kafka");
            }
            assertEquals(30, chunks);

            String table = pipeline.database + "_decoded";
            Services.sql("CREATE TABLE " + table + " (run_id String, request_id String, chunk_index Int32, "
                    + "tokens_in_chunk Int32, arrival_ns Int64, wall_us DateTime64(6, 'UTC'), text String) "
                    + "ENGINE = MergeTree ORDER BY (request_id, chunk_index)");
            try {
                String query = "INSERT INTO " + table + " FORMAT AvroConfluent";
                URI uri = URI.create(Services.clickhouseUrl() + "/?format_avro_schema_registry_url="
                        + URLEncoder.encode(pipeline.registryUrl, StandardCharsets.UTF_8) + "&query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8));
                HttpResponse<String> insert = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(framed.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, insert.statusCode(), insert.body());

                assertEquals(30, Services.count("SELECT count() FROM " + table + " WHERE run_id = '" + run + "'"));
                for (RequestResult r : report.results()) {
                    String decoded = Services.sql("SELECT count(), min(arrival_ns), sum(tokens_in_chunk) FROM " + table
                            + " WHERE request_id = '" + r.requestId() + "' FORMAT TSV");
                    assertEquals(r.chunks() + "\t" + r.ttftNs() + "\t" + r.outputTokens(), decoded, r.requestId());
                }
                String text = Services.sql("SELECT text FROM " + table + " ORDER BY request_id, chunk_index LIMIT 1");
                assertTrue(!text.isBlank(), "decoded token text");
            } finally {
                Services.sql("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> rawConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafka());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Services.unique("wire-test"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
