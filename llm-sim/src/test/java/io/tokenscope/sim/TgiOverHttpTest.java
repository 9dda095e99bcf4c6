package io.tokenscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** --wire tgi end to end: TGI's status for bad input and its chunk shape, over real HTTP. */
class TgiOverHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badInputIs422AndEveryChunkCarriesTheRole() throws Exception {
        try (SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "2", "--itl-ms", "1", "--event-loops", "1", "--wire", "tgi"}))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                            + "\"max_tokens\":0}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, bad.statusCode());
            assertEquals("validation", JSON.readTree(bad.body()).get("error_type").asText());
            String body = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                            + "\"max_tokens\":3,\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString()).body();
            int chunks = 0;
            for (String event : body.split("\n\n")) {
                if (event.startsWith("data:{")) {
                    var node = JSON.readTree(event.substring(5));
                    assertEquals("assistant", node.at("/choices/0/delta/role").asText(), event);
                    assertTrue(!node.at("/choices/0/delta/content").asText().isEmpty(), "no role-only chunk: " + event);
                    chunks++;
                }
            }
            assertEquals(3, chunks);
            assertTrue(body.endsWith("data:[DONE]\n\n"), body);
        }
    }
}
