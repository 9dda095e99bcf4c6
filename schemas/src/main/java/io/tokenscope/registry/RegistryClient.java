package io.tokenscope.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for Confluent's Schema Registry REST API: the subset a serializer and deserializer
 * need. Works against Confluent, Redpanda, Apicurio (ccompat), Karapace and the embedded
 * {@link RegistryServer}. Calls block, so they belong at start-up or on a worker thread,
 * never on an event loop; results are cached so steady-state serde makes no calls.
 */
public final class RegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public RegistryClient(String baseUrl) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(trimmed);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String url() {
        return base.toString();
    }

    /** Registers (or finds) the schema under the subject and returns its global id. */
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\n' + schema.toString();
        Integer cached = idBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", body.toString());
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException(50000, "registry at " + base + " answered without an id: " + answer);
        }
        idBySubjectAndSchema.put(cacheKey, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The writer schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new RegistryException(42201, "schema id " + id + " is " + type + ", not AVRO");
        }
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        byId.putIfAbsent(id, schema);
        return schema;
    }

    /** Fails with a message naming the URL when the registry cannot be reached. */
    public void ping() {
        call("GET", "/subjects", null);
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException("cannot reach schema registry at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while calling schema registry at " + base, e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new RegistryException(50000, "schema registry at " + base + path + " answered HTTP "
                    + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 300) {
            throw new RegistryException(answer.path("error_code").asInt(response.statusCode()),
                    "schema registry " + method + " " + path + " failed: HTTP " + response.statusCode() + " "
                            + answer.path("message").asText(response.body()));
        }
        return answer;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
