package io.tokenscope.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A minimal Confluent-compatible schema registry for the embedded mode: the REST subset that
 * serializers, deserializers and ClickHouse's AvroConfluent format use, with schemas stored in
 * the {@code _schemas} compacted topic. Avro only.
 *
 * <p>Routes: {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}},
 * {@code GET /subjects}, {@code GET /subjects/{s}/versions[/{v|latest}[/schema]]},
 * {@code GET /schemas/ids/{id}[/schema]}, {@code GET|PUT /config[/{s}]}.
 */
public final class RegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpServer server;
    private final SchemaStore store;
    private final ExecutorService executor;

    private RegistryServer(HttpServer server, SchemaStore store, ExecutorService executor) {
        this.server = server;
        this.store = store;
        this.executor = executor;
    }

    /** Starts on 127.0.0.1:port (0 picks a free port), storing schemas in the given topic. */
    public static RegistryServer start(io.tokenscope.kafka.KafkaConnection kafka, int port, String topic) throws IOException {
        SchemaStore store = new SchemaStore(kafka, topic);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry");
            t.setDaemon(true);
            return t;
        });
        RegistryServer registry = new RegistryServer(server, store, executor);
        server.createContext("/", registry::handle);
        server.setExecutor(executor);
        server.start();
        return registry;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String[] parts = path.replaceAll("^/+|/+$", "").split("/");
            for (int i = 0; i < parts.length; i++) {
                parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            try {
                Object answer = route(method, parts, exchange);
                send(exchange, 200, JSON.writeValueAsBytes(answer));
            } catch (RegistryException e) {
                int status = e.errorCode() >= 10000 ? e.errorCode() / 100 : e.errorCode();
                ObjectNode body = JSON.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage());
                send(exchange, status, JSON.writeValueAsBytes(body));
            }
        }
    }

    private Object route(String method, String[] p, HttpExchange exchange) throws IOException {
        int n = p.length;
        if (n >= 1 && p[0].equals("subjects")) {
            if (n == 1 && method.equals("GET")) {
                return store.subjects();
            }
            String subject = p[1];
            if (n == 2 && method.equals("POST")) {
                Schema schema = parseBody(exchange);
                SchemaStore.Version v = store.lookup(subject, schema)
                        .orElseThrow(() -> new RegistryException(40403, "schema not found under subject " + subject));
                return versionJson(v);
            }
            if (n == 3 && p[2].equals("versions") && method.equals("POST")) {
                SchemaStore.Version v = store.register(subject, parseBody(exchange));
                return JSON.createObjectNode().put("id", v.id());
            }
            if (n == 3 && p[2].equals("versions") && method.equals("GET")) {
                List<Integer> versions = store.versions(subject);
                if (versions == null) {
                    throw new RegistryException(40401, "subject " + subject + " not found");
                }
                return versions;
            }
            if ((n == 4 || n == 5) && p[2].equals("versions") && method.equals("GET")) {
                if (store.versions(subject) == null) {
                    throw new RegistryException(40401, "subject " + subject + " not found");
                }
                if (!p[3].matches("latest|-?\\d+")) {
                    throw new RegistryException(42202, "version " + p[3] + " is not a number or 'latest'");
                }
                SchemaStore.Version v = store.version(subject, p[3])
                        .orElseThrow(() -> new RegistryException(40402, "version " + p[3] + " of " + subject + " not found"));
                if (n == 5 && p[4].equals("schema")) {
                    return JSON.readTree(v.schema());
                }
                return versionJson(v);
            }
        }
        if (n >= 3 && p[0].equals("schemas") && p[1].equals("ids") && method.equals("GET")) {
            int id;
            try {
                id = Integer.parseInt(p[2]);
            } catch (NumberFormatException e) {
                throw new RegistryException(40403, "schema id " + p[2] + " is not a number");
            }
            String schema = store.schema(id).orElseThrow(() -> new RegistryException(40403, "schema " + id + " not found"));
            if (n == 4 && p[3].equals("schema")) {
                return JSON.readTree(schema);
            }
            return JSON.createObjectNode().put("schema", schema);
        }
        if (n >= 1 && p[0].equals("config")) {
            String subject = n == 2 ? p[1] : null;
            if (method.equals("GET")) {
                return JSON.createObjectNode().put("compatibilityLevel", store.compatibility(subject == null ? "" : subject));
            }
            if (method.equals("PUT")) {
                String level = readJson(exchange).path("compatibility").asText("");
                if (!level.matches("NONE|BACKWARD|FORWARD|FULL|BACKWARD_TRANSITIVE|FORWARD_TRANSITIVE|FULL_TRANSITIVE")) {
                    throw new RegistryException(42203, "invalid compatibility level '" + level + "'");
                }
                store.setCompatibility(subject, level);
                return JSON.createObjectNode().put("compatibility", level);
            }
        }
        if (n == 1 && p[0].isEmpty() && method.equals("GET")) {
            return JSON.createObjectNode();
        }
        throw new RegistryException(40400, "no route for " + method + " /" + String.join("/", p));
    }

    private static ObjectNode versionJson(SchemaStore.Version v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema());
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            return JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
        } catch (IOException e) {
            throw new RegistryException(42201, "request body is not JSON");
        }
    }

    private static Schema parseBody(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new RegistryException(42201, "schemaType " + type + " is not supported; this registry holds Avro");
        }
        if (!body.hasNonNull("schema")) {
            throw new RegistryException(42201, "request body has no 'schema' field");
        }
        try {
            return new Schema.Parser().parse(body.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new RegistryException(42201, "invalid Avro schema: " + e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }

    /** Runs the registry standalone: {@code --kafka-bootstrap HOST:PORT --port N [--topic _schemas]}. */
    public static void main(String[] args) throws Exception {
        io.tokenscope.cli.Flags f = io.tokenscope.cli.Flags.parse(args,
                "schema registry: --kafka-bootstrap HOST:PORT (default 127.0.0.1:19092) --port N (default 18081) "
                        + "--topic NAME (default _schemas) --kafka-properties FILE (client settings, e.g. SASL_SSL)",
                java.util.Set.of("--kafka-bootstrap", "--port", "--topic", "--kafka-properties"));
        io.tokenscope.kafka.KafkaConnection bootstrap = io.tokenscope.kafka.KafkaConnection.of(
                f.text("--kafka-bootstrap", "127.0.0.1:19092"), f.text("--kafka-properties", null), "--kafka-properties");
        int port = f.whole("--port", 18081);
        String topic = f.text("--topic", "_schemas");
        RegistryServer server = start(bootstrap, port, topic);
        System.out.println("schema registry listening on " + server.url() + " (store: topic " + topic + " on " + bootstrap + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
