package io.tokenscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A multi-turn chat over HTTP: the second turn quotes the first answer and hits its KV blocks. */
class FollowUpCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimServer sim;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--event-loops", "1"}));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private JsonNode chat(ArrayNode messages, int maxTokens) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("max_tokens", maxTokens);
        body.set("messages", messages);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void theSecondTurnHitsTheBlocksTheFirstAnswerFilled() throws Exception {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Tell me about the film you saw last night, please.");
        JsonNode first = chat(messages, 50);
        int prompt = first.at("/usage/prompt_tokens").asInt();
        assertEquals(50, first.at("/usage/completion_tokens").asInt());
        messages.addObject().put("role", "assistant").put("content", first.at("/choices/0/message/content").asText());
        messages.addObject().put("role", "user").put("content", "And the acting?");
        JsonNode second = chat(messages, 1);
        int expected = (prompt + 50 - 1) / 16 * 16;
        assertTrue(expected > prompt, "the answer fills blocks of its own");
        assertEquals(expected, second.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    }
}
