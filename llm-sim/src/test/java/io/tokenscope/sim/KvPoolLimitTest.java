package io.tokenscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A request larger than the whole KV pool, against the vLLM-style engine over HTTP. */
class KvPoolLimitTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(SimServer sim, String prompt) throws Exception {
        return send(sim, prompt, 4);
    }

    private HttpResponse<String> send(SimServer sim, String prompt, int maxTokens) throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"max_tokens\":" + maxTokens
                + ",\"stream\":true}";
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .timeout(java.time.Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestThatCanNeverFitIsRefusedAndTheEngineGoesOn() throws Exception {
        try (SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--event-loops", "1",
            "--kv-cache-tokens", "256", "--block-size", "16"}))) {
            HttpResponse<String> tooLong = send(sim, "word ".repeat(600));
            assertEquals(400, tooLong.statusCode());
            assertTrue(tooLong.body().contains("KV blocks"), tooLong.body());
            // A short prompt whose answer alone would outgrow the pool: it used to be admitted,
            // preempt itself at the 17th block and never be admitted again.
            HttpResponse<String> tooLongAnAnswer = send(sim, "hi", 300);
            assertEquals(400, tooLongAnAnswer.statusCode());
            assertTrue(tooLongAnAnswer.body().contains("KV blocks"), tooLongAnAnswer.body());
            HttpResponse<String> after = send(sim, "a short prompt");
            assertEquals(200, after.statusCode());
            assertTrue(after.body().endsWith("data: [DONE]\n\n"), after.body());
        }
    }
}
