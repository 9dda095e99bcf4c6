package io.tokenscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault, as a client over real HTTP on loopback sees it. */
class FaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],"
            + "\"max_tokens\":6,\"stream\":true}";
    private static SimServer sim;
    private static Path truth;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        truth = Files.createTempFile("truth", ".csv");
        sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed", "--ttft-ms", "5",
            "--itl-ms", "2", "--event-loops", "1", "--ground-truth", truth.toString()}));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private HttpResponse<String> send(String fault) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("x-request-id", "req-" + fault);
        if (fault != null) b.header("x-sim-fault", fault);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data payloads of an SSE body. */
    private static List<String> events(String body) {
        List<String> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.startsWith("data: ")) out.add(block.substring(6));
        }
        return out;
    }

    private static int textChunks(List<String> events) throws Exception {
        int n = 0;
        for (String e : events) {
            if (e.equals("[DONE]")) continue;
            var node = JSON.readTree(e);
            if (!node.at("/choices/0/delta/content").asText("").isEmpty()) n++;
        }
        return n;
    }

    @Test
    void cleanStreamEndsWithDone() throws Exception {
        List<String> events = events(send(null).body());
        assertEquals(6, textChunks(events));
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals("length", JSON.readTree(events.get(events.size() - 2)).at("/choices/0/finish_reason").asText(),
                "it ended at max_tokens");
    }

    @Test
    void anAnswerShorterThanMaxTokensEndsWithStop() throws Exception {
        try (SimServer shortAnswers = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "1", "--itl-ms", "1", "--event-loops", "1", "--output-tokens", "3"}))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(shortAnswers.baseUrl()
                    + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> events = events(r.body());
            assertEquals(3, textChunks(events));
            assertEquals("stop", JSON.readTree(events.get(events.size() - 2)).at("/choices/0/finish_reason").asText());
        }
    }

    @Test
    void aFaultAtTokenZeroOrPastTheIntRangeIsRefused() {
        for (String spec : new String[] {"reset@0", "stall@4294967297:10"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> io.tokenscope.sim.fault.Fault.parse(spec));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("must be a token number from 1"),
                    e.getMessage());
        }
    }

    @Test
    void httpFaultsAnswerAsVllmDoes() throws Exception {
        for (int status : new int[] {400, 422, 424, 429}) {
            HttpResponse<String> r = send("http_" + status);
            assertEquals(status, r.statusCode());
            assertEquals(status, JSON.readTree(r.body()).at("/error/code").asInt());
        }
        HttpResponse<String> engineDead = send("http_500");
        assertEquals(500, engineDead.statusCode());
        assertEquals("", engineDead.body(), "vLLM's handler for engine errors sends no body");
        HttpResponse<String> scaling = send("http_503");
        assertEquals(503, scaling.statusCode());
        assertTrue(JSON.readTree(scaling.body()).get("error").isTextual(), scaling.body());
    }

    @Test
    void errorEventArrivesInsideTheStreamAfterTheGivenTokens() throws Exception {
        HttpResponse<String> r = send("error_event@3");
        assertEquals(200, r.statusCode());
        List<String> events = events(r.body());
        assertEquals(2, textChunks(events.subList(0, events.size() - 2)));
        assertTrue(events.get(events.size() - 2).startsWith("{\"error\": {\"message\": "), events.toString());
    }

    @Test
    void resetClosesTheConnectionMidStream() {
        assertThrows(IOException.class, () -> send("reset@3"));
    }

    @Test
    void malformedChunkIsNotJsonAndTheStreamGoesOn() throws Exception {
        List<String> events = events(send("malformed@2").body());
        long broken = events.stream().filter(e -> {
            try {
                JSON.readTree(e.equals("[DONE]") ? "{}" : e);
                return false;
            } catch (IOException ex) {
                return true;
            }
        }).count();
        assertEquals(1, broken);
        assertEquals("[DONE]", events.get(events.size() - 1));
    }

    @Test
    void noDoneOmitsTheTerminator() throws Exception {
        List<String> events = events(send("no_done").body());
        assertFalse(events.contains("[DONE]"));
        assertTrue(events.get(events.size() - 1).contains("\"finish_reason\":\"length\""));
    }

    @Test
    void largeChunkCarriesAMegabyte() throws Exception {
        HttpResponse<String> r = send("large_chunk@1");
        assertTrue(r.body().length() > 1 << 20, "body of " + r.body().length() + " chars");
        assertEquals("[DONE]", events(r.body()).get(events(r.body()).size() - 1));
    }

    @Test
    void stallHoldsTheRestOfTheStream() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("stall@2:400");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 400, "took " + ms + " ms");
        assertEquals(6, textChunks(events(r.body())));
    }

    /**
     * With every wire quirk on, two events share a write, so a stall can strike while one waits
     * to be written: it must still go out first, and every chunk must reach the ground truth.
     */
    @Test
    void aStallUnderStressFramingKeepsTheOrderAndTheGroundTruthOfEveryChunk() throws Exception {
        Path stressTruth = Files.createTempFile("truth-stress", ".csv");
        try (SimServer stress = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "5", "--itl-ms", "2", "--event-loops", "1", "--wire", "stress", "--ground-truth",
            stressTruth.toString()}))) {
            List<List<String>> answers = new ArrayList<>();
            for (String fault : new String[] {null, "stall@2:200", "stall@4:200"}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stress.baseUrl() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("x-request-id", "stress-" + fault);
                if (fault != null) b.header("x-sim-fault", fault);
                String body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
                List<String> events = new ArrayList<>();
                // Stress framing: CRLF line ends, no space after "data:", comment lines between.
                for (String line : body.split("\r?\n")) {
                    if (!line.startsWith("data:") || line.contains("[DONE]")) continue;
                    var delta = JSON.readTree(line.substring(5)).at("/choices/0/delta");
                    if (delta.has("role")) events.add("role");
                    if (!delta.path("content").asText("").isEmpty()) events.add("text");
                }
                answers.add(events);
            }
            // The role first, then six tokens: none lost or put out of order by the stall.
            List<String> whole = List.of("role", "text", "text", "text", "text", "text", "text");
            assertEquals(whole, answers.get(0));
            assertEquals(whole, answers.get(1), "stall@2");
            assertEquals(whole, answers.get(2), "stall@4");
            Thread.sleep(400);
            for (String fault : new String[] {"null", "stall@2:200", "stall@4:200"}) {
                List<String> logged = Files.readAllLines(stressTruth).stream()
                        .filter(l -> l.startsWith("stress-" + fault + ",")).toList();
                assertEquals(List.of(0, 1, 2, 3, 4, 5), logged.stream().map(l -> Integer.parseInt(l.split(",")[2])).toList(),
                        fault + ": " + logged);
            }
        }
    }

    @Test
    void dripIgnoresMaxTokensAndNeverEnds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("x-sim-fault", "drip@3:30").build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> texts = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (java.util.stream.Stream<String> lines = r.body()) {
            var it = lines.iterator();
            while (texts.size() < 12) {
                String line = it.next();
                assertFalse(line.contains("[DONE]") || line.contains("finish_reason\":\""), line);
                if (line.startsWith("data: ")) {
                    String text = JSON.readTree(line.substring(6)).at("/choices/0/delta/content").asText("");
                    if (!text.isEmpty()) {
                        texts.add(text);
                        arrivals.add(System.nanoTime());
                    }
                }
            }
        }
        // Twice max_tokens and still going; from the 3rd token on, one every 30 ms.
        long gapMs = (arrivals.get(11) - arrivals.get(3)) / 1_000_000 / 8;
        assertTrue(gapMs >= 25 && gapMs < 300, "mean gap of the drip " + gapMs + " ms");
    }

    private HttpResponse<String> sendWhole(String fault) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("\"stream\":true", "\"stream\":false")))
                .header("x-sim-fault", fault).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutStreamingEachFaultActsOnTheOneBody() throws Exception {
        assertThrows(IOException.class, () -> sendWhole("reset@3"));
        HttpResponse<String> engineError = sendWhole("error_event@3");
        assertEquals(500, engineError.statusCode());
        assertEquals("", engineError.body(), "vLLM's engine failure: a 500 without a body");
        HttpResponse<String> malformed = sendWhole("malformed@2");
        assertEquals(200, malformed.statusCode());
        assertThrows(IOException.class, () -> JSON.readTree(malformed.body()), malformed.body());
        HttpResponse<String> large = sendWhole("large_chunk@1");
        assertTrue(JSON.readTree(large.body()).at("/choices/0/message/content").asText().length() >= 1 << 20);
        long start = System.nanoTime();
        HttpResponse<String> stalled = sendWhole("stall@2:300");
        assertTrue(System.nanoTime() - start >= 300_000_000L, "answered before the stall ended");
        assertEquals("length", JSON.readTree(stalled.body()).at("/choices/0/finish_reason").asText());
        assertEquals("length", JSON.readTree(sendWhole("no_done").body()).at("/choices/0/finish_reason").asText());
    }

    @Test
    void withoutStreamingADripHoldsTheBodyOpenWithSpaces() throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("\"stream\":true", "\"stream\":false")))
                .header("x-sim-fault", "drip@2:20").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (java.io.InputStream body = r.body()) {
            // Six drips: 120 ms past the answer's end (6 tokens at 2 ms), and still no JSON.
            byte[] six = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> body.readNBytes(6), "the held-open body stopped dripping");
            assertEquals("      ", new String(six, java.nio.charset.StandardCharsets.UTF_8));
            // About ten more drips arrive during the sleep; twenty more means it went on after it.
            Thread.sleep(200);
            byte[] more = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> body.readNBytes(20), "the held-open body stopped dripping");
            assertEquals(" ".repeat(20), new String(more, java.nio.charset.StandardCharsets.UTF_8),
                    "still no JSON, still open");
        }
    }

    @Test
    void metricsCountEachRequestUnderVllmsFinishReason() throws Exception {
        try (SimServer own = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "1", "--itl-ms", "1", "--event-loops", "1", "--output-tokens", "4"}))) {
            URI chat = URI.create(own.baseUrl() + "/v1/chat/completions");
            // max_tokens 6 > 4 output tokens: the model's own end, "stop"; max_tokens 3: "length".
            http.send(HttpRequest.newBuilder(chat).POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(chat).POST(HttpRequest.BodyPublishers.ofString(
                    BODY.replace("\"max_tokens\":6", "\"max_tokens\":3"))).build(), HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(chat).POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .header("x-sim-fault", "error_event@2").build(), HttpResponse.BodyHandlers.ofString());
            assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(chat)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("x-sim-fault", "reset@2").build(),
                    HttpResponse.BodyHandlers.ofString()));
            String metrics = http.send(HttpRequest.newBuilder(URI.create(own.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.Map<String, String> byReason = new java.util.TreeMap<>();
            for (String line : metrics.lines().toList()) {
                if (line.startsWith("vllm:request_success_total{")) {
                    String reason = line.substring(line.indexOf("finished_reason=\"") + 17, line.indexOf("\"}"));
                    byReason.put(reason, line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            assertEquals(java.util.Map.of("stop", "1", "length", "1", "error", "1", "abort", "1", "repetition", "0"),
                    byReason);
        }
    }

    @Test
    void badFaultHeaderIsA400NamingTheHeader() throws Exception {
        HttpResponse<String> r = send("explode");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("x-sim-fault"), r.body());
    }

    @Test
    void scheduledFaultsHitEveryNthRequest() throws Exception {
        SimServer every = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "1", "--itl-ms", "1", "--event-loops", "1", "--fault-every", "3=http_503"}));
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(http.send(HttpRequest.newBuilder(URI.create(every.baseUrl() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertEquals(List.of(200, 200, 503, 200, 200, 503), statuses);
        } finally {
            every.close();
        }
    }

    @Test
    void groundTruthLogsEveryChunkWithItsSendTime() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("x-request-id", "truth-check").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(400);
        List<String> lines = Files.readAllLines(truth).stream().filter(l -> l.startsWith("truth-check,")).toList();
        assertEquals(6, lines.size());
        for (String line : lines) {
            String[] f = line.split(",");
            long received = Long.parseLong(f[4]), due = Long.parseLong(f[5]), sentNs = Long.parseLong(f[6]);
            assertTrue(due >= received + 5_000_000L, "first token is due 5 ms after the request");
            assertTrue(sentNs >= due, "nothing is sent before it is due");
        }
    }
}
