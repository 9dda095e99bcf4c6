package io.tokenscope.aggregator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The two calls of Confluent's REST API that a serde makes (register, schema by id), in
 * memory on loopback, so topology tests run the real {@code ConfluentAvro} without Kafka.
 */
public final class FakeRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<String> schemas = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    public FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.startsWith("/subjects/") && "POST".equals(exchange.getRequestMethod())) {
            String schema = JSON.readTree(body).path("schema").asText();
            int id = ids.computeIfAbsent(schema, s -> {
                schemas.add(s);
                return schemas.size();
            });
            answer(exchange, 200, "{\"id\":" + id + "}");
        } else if (path.startsWith("/schemas/ids/")) {
            int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
            if (id < 1 || id > schemas.size()) {
                answer(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema " + id + " not found\"}");
            } else {
                answer(exchange, 200, JSON.createObjectNode().put("schema", schemas.get(id - 1)).toString());
            }
        } else {
            answer(exchange, 404, "{\"error_code\":404,\"message\":\"no such call\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
