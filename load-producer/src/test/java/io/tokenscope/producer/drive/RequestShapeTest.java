package io.tokenscope.producer.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tokenscope.producer.ProducerConfig;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.scenario.Prompt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What goes over the wire with each request, seen by a real HTTP server on loopback. */
class RequestShapeTest {
    @Test
    void keyHeadersSamplingAndTruncationReachTheServer() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            seen.add(Map.of("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
                    "x-team", String.valueOf(ex.getRequestHeaders().getFirst("X-Team"))));
            bodies.add(new ObjectMapper().readTree(ex.getRequestBody().readAllBytes()));
            byte[] sse = ("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "text/event-stream");
            ex.sendResponseHeaders(200, sse.length);
            ex.getResponseBody().write(sse);
            ex.close();
        });
        server.start();
        Vertx vertx = Vertx.vertx();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            RequestShape shape = RequestShape.of("sk-secret", Map.of("X-Team", "perf"), 0.0, 0.9, 1000, true);
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(),
                    vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1)),
                    Endpoint.parse(url, "--endpoint"), TelemetrySink.DISCARD, new MonotonicClock(), 5000, shape);
            String longPrompt = "x".repeat(5000) + " INSTRUCTION AT THE END";
            List<RequestResult> results = driver.run(new RunContext("r", "s", 1, 1, url, "m", "chat"),
                    List.of(new Prompt(longPrompt, 4)), "shape").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertTrue(results.get(0).ok(), results.get(0).errorMessage());
            assertEquals("Bearer sk-secret", seen.get(0).get("authorization"));
            assertEquals("perf", seen.get(0).get("x-team"));
            JsonNode body = bodies.get(0);
            assertEquals(0.0, body.get("temperature").asDouble());
            assertEquals(0.9, body.get("top_p").asDouble());
            assertTrue(body.at("/stream_options/continuous_usage_stats").asBoolean());
            String sent = body.at("/messages/0/content").asText();
            assertEquals(1000, sent.length());
            assertTrue(sent.endsWith("INSTRUCTION AT THE END"), "the instruction at the end survives");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server.stop(0);
        }
    }

    @Test
    void theApiKeyNeverAppearsInTheConfigsText() {
        ProducerConfig c = ProducerConfig.parse(new String[] {"--api-key", "sk-very-secret", "--header", "X-A:b"});
        assertFalse(c.toString().contains("sk-very-secret"), c.toString());
        assertEquals("Bearer sk-very-secret", c.shape().headers().get("authorization"));
    }

    @Test
    void instancesSplitTheirFlagsCheck() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ProducerConfig.parse(new String[] {"--instance", "2", "--instances", "2"}));
        assertTrue(e.getMessage().contains("--instance"), e.getMessage());
    }
}
