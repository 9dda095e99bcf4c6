package io.tokenscope.producer.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The driver against the real simulator over HTTP/SSE on loopback. */
class RequestExecutionTest {
    private static SimServer sim;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--model", "test-model", "--engine", "fixed",
            "--ttft-ms", "20", "--itl-ms", "5", "--output-tokens", "8", "--event-loops", "1"}));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Chunk(String requestId, int index, int tokens, long arrivalNs) {}

    /** A sink that keeps every chunk and every finished result it is given. */
    private static TelemetrySink recording(List<Chunk> chunks, List<RequestResult> finished) {
        return new TelemetrySink() {
            @Override
            public void started(RunContext ctx, String id, long wallUs, int chars, int max) {}

            @Override
            public void chunk(RunContext ctx, String id, int index, int tokens, long arrivalNs, long wallUs, String t) {
                chunks.add(new Chunk(id, index, tokens, arrivalNs));
            }

            @Override
            public void finished(RunContext ctx, RequestResult result, long wallUs) {
                finished.add(result);
            }
        };
    }

    private List<RequestResult> drive(String endpoint, String api, int requests, int concurrency, List<Chunk> chunks,
                                      List<RequestResult> finished) throws Exception {
        return drive(endpoint, api, requests, concurrency, chunks, finished, 10_000);
    }

    private List<RequestResult> drive(String endpoint, String api, int requests, int concurrency, List<Chunk> chunks,
                                      List<RequestResult> finished, long timeoutMs) throws Exception {
        TelemetrySink sink = recording(chunks, finished);
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(concurrency));
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(endpoint, "--endpoint"),
                sink, new MonotonicClock(), timeoutMs);
        RunContext ctx = new RunContext("r", "s", 1, concurrency, endpoint, "test-model", api);
        List<Prompt> prompts = Collections.nCopies(requests, new Prompt("Rate this film, please.", 8));
        return driver.run(ctx, prompts, "req").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** One request of max_tokens 8 to the simulator with the given fault, under the given deadline. */
    private RequestResult driveWithFault(String fault, long deadlineMs, List<Chunk> chunks) throws Exception {
        List<RequestResult> finished = Collections.synchronizedList(new ArrayList<>());
        TelemetrySink sink = recording(chunks, finished);
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(sim.baseUrl(), "--endpoint"),
                sink, new MonotonicClock(), 1_000).withDeadline(deadlineMs).withFault(fault);
        RunContext ctx = new RunContext("r", "s", 1, 1, sim.baseUrl(), "test-model", "chat");
        List<RequestResult> results = driver.run(ctx, List.of(new Prompt("Rate this film, please.", 8)), "fault")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(results.get(0)), finished, "the request reports exactly one finish");
        return results.get(0);
    }

    @Test
    void aStreamThatDripsForeverEndsAtTheDeadlineWithWhatItMeasured() throws Exception {
        List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        // A token every 100 ms: never silent for the 1 s timeout, so only the deadline ends it.
        RequestResult r = driveWithFault("drip@3:100", 1_500, chunks);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("deadline", r.errorClass(), r.errorMessage());
        assertTrue(r.errorMessage().contains("--request-timeout-s"), r.errorMessage());
        assertTrue(ms >= 1_500 && ms < 5_000, "ended after " + ms + " ms");
        assertTrue(r.chunks() >= 8 && r.chunks() < 20, r.chunks() + " chunks in 1.5 s");
        assertEquals(r.chunks(), chunks.size(), "every chunk measured was emitted");
        assertEquals(r.chunks() - 1, r.gapsNs().length);
        assertTrue(r.endNs() >= 1_500_000_000L, "E2E runs to the deadline: " + r.endNs());
    }

    @Test
    void aStreamThatIgnoresMaxTokensIsEndedAsARunaway() throws Exception {
        List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        RequestResult r = driveWithFault("drip@2:1", LoadDriver.DEFAULT_DEADLINE_MS, chunks);
        assertEquals("runaway_stream", r.errorClass(), r.errorMessage());
        assertEquals(RequestExecution.maxChunks(8) + 1, r.chunks(), "ended at the first chunk past the cap, not later");
        assertEquals(r.chunks(), chunks.size());
    }

    @Test
    void chatStreamIsTimedChunkByChunk() throws Exception {
        List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        List<RequestResult> finished = Collections.synchronizedList(new ArrayList<>());
        List<RequestResult> results = drive(sim.baseUrl(), "chat", 6, 3, chunks, finished);
        assertEquals(6, results.size());
        assertEquals(6, finished.size(), "every request reports exactly one finish");
        assertEquals(6 * 8, chunks.size());
        for (RequestResult r : results) {
            assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
            assertEquals(200, r.httpStatus());
            assertEquals(8, r.chunks());
            assertEquals(7, r.gapsNs().length);
            assertTrue(r.ttftNs() >= 20_000_000L, "TTFT " + r.ttftNs() + " ns is below the simulated 20 ms");
            assertEquals(8, r.completionTokens());
            assertEquals(0, r.cachedTokens());
            assertTrue(r.promptTokens() > 5);
            assertEquals("length", r.finishReason());
            long sumGaps = 0;
            for (long g : r.gapsNs()) sumGaps += g;
            // The simulator sends token k at ttft + k * itl after the request, never earlier.
            assertTrue(r.ttftNs() + sumGaps >= 20_000_000L + 7 * 5_000_000L, "last token before its schedule");
        }
        for (Chunk c : chunks) {
            assertEquals(1, c.tokens());
        }
    }

    @Test
    void aServerThatDoesNotReportCachedTokensLeavesThemUnknownNotZero() throws Exception {
        try (SimServer quiet = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--model", "test-model",
            "--engine", "fixed", "--ttft-ms", "1", "--itl-ms", "1", "--output-tokens", "8", "--event-loops", "1",
            "--cache-report", "false"}))) {
            List<RequestResult> results = drive(quiet.baseUrl(), "chat", 2, 1, Collections.synchronizedList(
                    new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            for (RequestResult r : results) {
                assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
                assertEquals(null, r.cachedTokens(), "vLLM without --enable-prompt-tokens-details");
                assertTrue(r.promptTokens() > 5);
            }
        }
    }

    @Test
    void continuousUsageCountsTheTokensOfEachChunkFromTheRoleChunkOn() throws Exception {
        try (SimServer batched = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--model", "test-model",
            "--engine", "fixed", "--ttft-ms", "1", "--itl-ms", "1", "--output-tokens", "8", "--event-loops", "1",
            "--stream-interval", "3"}))) {
            List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
            List<RequestResult> finished = Collections.synchronizedList(new ArrayList<>());
            HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
            RequestShape continuous = new RequestShape(java.util.Map.of(), null, null, 0, true);
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(batched.baseUrl(),
                    "--endpoint"), recording(chunks, finished), new MonotonicClock(), 10_000, continuous);
            RunContext ctx = new RunContext("r", "s", 1, 1, batched.baseUrl(), "test-model", "chat");
            RequestResult r = driver.run(ctx, List.of(new Prompt("Rate this film, please.", 8)), "cu")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).get(0);
            assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
            // The first token alone, then three at a time: 1 + 3 + 3 + 1.
            assertEquals(List.of(1, 3, 3, 1), chunks.stream().map(Chunk::tokens).toList());
            assertEquals(8, r.completionTokens());
            assertEquals(0, r.cachedTokens(), "from the final usage; continuous usage never names them");
        }
    }

    @Test
    void completionsApiWorksToo() throws Exception {
        List<RequestResult> results = drive(sim.baseUrl(), "completions", 2, 2, Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        for (RequestResult r : results) {
            assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
            assertEquals(8, r.chunks());
        }
    }

    @Test
    void httpErrorIsRecordedByClassNotThrown() throws Exception {
        List<RequestResult> results = drive(sim.baseUrl() + "/nowhere", "chat", 2, 1,
                Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
        for (RequestResult r : results) {
            assertFalse(r.ok());
            assertEquals(404, r.httpStatus());
            assertEquals("http_404", r.errorClass());
            assertTrue(r.errorMessage().contains("no route"), r.errorMessage());
        }
    }

    @Test
    void refusedConnectionIsRecordedAsConnectError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<RequestResult> results = drive("http://127.0.0.1:" + port, "chat", 3, 2,
                Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
        assertEquals(3, results.size());
        for (RequestResult r : results) {
            assertFalse(r.ok());
            assertEquals("connect_error", r.errorClass());
            assertEquals(-1, r.ttftNs());
        }
    }

    /** A server that answers every request with this head and body, then leaves the connection open. */
    private static java.net.ServerSocket answering(String head, byte[] body) throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            List<java.net.Socket> open = new ArrayList<>();
            while (!server.isClosed()) {
                try {
                    java.net.Socket c = server.accept();
                    open.add(c);
                    c.getInputStream().read(new byte[65_536]);
                    c.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    c.getOutputStream().write(body);
                    c.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // closed
                }
            }
        }, "answering-server");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void errorAnswerWhoseBodyStallsEndsAtTheTimeoutNotNever() throws Exception {
        byte[] part = "b\r\noverloaded\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.net.ServerSocket server = answering(
                "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n", part)) {
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1,
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()),
                    1_000);
            RequestResult r = results.get(0);
            assertFalse(r.ok());
            assertEquals(503, r.httpStatus());
            assertEquals("timeout", r.errorClass());
        }
    }

    @Test
    void hugeErrorBodyIsCutToItsStart() throws Exception {
        byte[] body = "x".repeat(5_000_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.net.ServerSocket server = answering("HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                + body.length + "\r\n\r\n", body)) {
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1,
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            RequestResult r = results.get(0);
            assertEquals("http_500", r.errorClass());
            assertEquals("x".repeat(500) + "...", r.errorMessage());
        }
    }

    @Test
    void aRequestTheHttpClientRefusesToSendFailsAloneAndTheRunEnds() throws Exception {
        List<RequestResult> finished = Collections.synchronizedList(new ArrayList<>());
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), vertx.createHttpClient(),
                Endpoint.parse("http://127.0.0.1:9", "--endpoint"), recording(Collections.synchronizedList(new ArrayList<>()),
                finished), new MonotonicClock(), 10_000);
        RunContext ctx = new RunContext("r", "s", 1, 1, "http://127.0.0.1:9", "test-model", "chat");
        // The request id goes into the x-request-id header, which Vert.x refuses with a line break.
        List<RequestResult> results = driver.run(ctx, List.of(new Prompt("hi", 8), new Prompt("hi", 8)), "bad\nid")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(2, results.size());
        for (RequestResult r : results) {
            assertEquals("client_error", r.errorClass(), r.errorMessage());
        }
        assertEquals(2, finished.size(), "each reported its finish");
    }

    @Test
    void workAroundARequestThatThrowsKeepsWhatWasMeasuredAndTheRunEnds() throws Exception {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
        RunContext ctx = new RunContext("r", "s", 1, 1, sim.baseUrl(), "test-model", "chat");
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, Endpoint.parse(sim.baseUrl(), "--endpoint"),
                recording(Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>())),
                new MonotonicClock(), 10_000);
        AroundRequest throwsBefore = () -> {
            throw new IllegalStateException("before");
        };
        AroundRequest throwsAfter = () -> io.vertx.core.Future.succeededFuture(r -> {
            throw new IllegalStateException("after");
        });
        AroundRequest noFutureBefore = () -> null;
        AroundRequest noFutureAfter = () -> io.vertx.core.Future.succeededFuture(r -> null);
        for (AroundRequest work : List.of(throwsBefore, throwsAfter, noFutureBefore, noFutureAfter)) {
            List<RequestResult> results = driver.aroundEach(work).run(ctx, List.of(new Prompt("Rate this film.", 8),
                    new Prompt("Rate this film.", 8)), "around").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(2, results.size());
            for (RequestResult r : results) {
                assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
                assertEquals(8, r.chunks());
            }
        }
    }

    @Test
    void anErrorInsideTheStreamIsKeptShortEnoughForItsKafkaRecord() throws Exception {
        // Kafka's default 1 MB record limit: a 1.5 MB message would fail the request's end event.
        RequestResult r = answeredWith("data: {\"error\":{\"message\":\"" + "e".repeat(1_500_000) + "\"}}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + "f".repeat(100_000)
                + "\"}]}\n\ndata: [DONE]\n\n", Collections.synchronizedList(new ArrayList<>()));
        assertEquals("stream_error", r.errorClass());
        assertEquals("e".repeat(500) + "...", r.errorMessage());
        assertEquals("f".repeat(500) + "...", r.finishReason());
    }

    @Test
    void llamaCppErrorEventFailsTheRequestThoughDoneFollows() throws Exception {
        String chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}";
        byte[] body = ("data: " + chunk + "\n\nerror: {\"code\":500,\"message\":\"slot failed\",\"type\":\"server_error\"}"
                + "\n\ndata: [DONE]\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.ServerSocket server = answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body)) {
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1,
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            RequestResult r = results.get(0);
            assertFalse(r.ok());
            assertEquals("stream_error", r.errorClass());
            assertTrue(r.errorMessage().contains("slot failed"), r.errorMessage());
            assertEquals(1, r.chunks(), "the chunk before the error is still measured");
        }
    }

    /** The one result of a request answered 200 with this SSE body. */
    private RequestResult answeredWith(String sse, List<Chunk> chunks) throws Exception {
        byte[] body = sse.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.ServerSocket server = answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body)) {
            return drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1, chunks,
                    Collections.synchronizedList(new ArrayList<>())).get(0);
        }
    }

    @Test
    void anEmptyAnswerIsTimedAtItsFinishAndAStreamWithoutATokenFails() throws Exception {
        List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        // The model's first token is its end of sequence: a role chunk, then the finish.
        RequestResult empty = answeredWith("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n", chunks);
        assertTrue(empty.ok(), empty.errorClass() + ": " + empty.errorMessage());
        assertEquals(1, empty.chunks());
        assertTrue(empty.ttftNs() >= 0, "the finish is the first token's arrival");
        assertEquals("", empty.text());
        assertEquals(1, chunks.size(), "and it is emitted like any token");

        // max_tokens 1 spent on a token the server strips (vLLM's reasoning parser swallows <think>):
        // an empty delta with finish "length", then the usage.
        RequestResult stripped = answeredWith("data: {\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"length\"}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":1}}\n\ndata: [DONE]\n\n", Collections.synchronizedList(new ArrayList<>()));
        assertTrue(stripped.ok(), stripped.errorClass() + ": " + stripped.errorMessage());
        assertTrue(stripped.ttftNs() >= 0);
        assertEquals(1, stripped.outputTokens());

        RequestResult nothing = answeredWith("data: [DONE]\n\n", Collections.synchronizedList(new ArrayList<>()));
        assertFalse(nothing.ok());
        assertEquals("no_output", nothing.errorClass());

        // An abort is not the model's end of sequence: no token, so no TTFT.
        RequestResult aborted = answeredWith("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                + "\"finish_reason\":\"abort\"}]}\n\ndata: [DONE]\n\n", Collections.synchronizedList(new ArrayList<>()));
        assertEquals("no_output", aborted.errorClass());
        assertEquals(-1, aborted.ttftNs());
        RequestResult filtered = answeredWith("data: {\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"content_filter\"}]}\n\ndata: [DONE]\n\n", Collections.synchronizedList(new ArrayList<>()));
        assertEquals("no_output", filtered.errorClass(), "only finishes known to follow a generated token count as one");
    }

    @Test
    void anEndlessLineFailsTheRequestInsteadOfGrowingTheHeap() throws Exception {
        // 9 MiB of one data line and no line end, over a body that claims more still.
        byte[] line = ("data: " + "y".repeat(9 << 20)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.net.ServerSocket server = answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Content-Length: " + (2L * line.length) + "\r\n\r\n", line)) {
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1,
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            RequestResult r = results.get(0);
            assertFalse(r.ok());
            assertEquals("oversized_event", r.errorClass());
        }
    }

    @Test
    void reasoningChunksAreTimedAsTokensButKeptOutOfTheAnswer() throws Exception {
        StringBuilder sse = new StringBuilder();
        for (String delta : List.of("{\"role\":\"assistant\"}", "{\"reasoning_content\":\"Let me\"}",
                "{\"reasoning\":\" think.\"}", "{\"content\":\"Positive\"}")) {
            sse.append("data: {\"choices\":[{\"index\":0,\"delta\":").append(delta)
                    .append(",\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        byte[] body = sse.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.ServerSocket server = answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body)) {
            List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1, chunks,
                    Collections.synchronizedList(new ArrayList<>()));
            RequestResult r = results.get(0);
            assertTrue(r.ok(), r.errorClass() + ": " + r.errorMessage());
            assertEquals(3, r.chunks(), "two thinking chunks and one answer chunk");
            assertEquals(3, chunks.size());
            assertEquals("Positive", r.text());
        }
    }

    @Test
    void keepAliveCommentsAloneDoNotHoldARequestOpenPastItsTimeout() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread pinger = new Thread(() -> {
                try (java.net.Socket c = server.accept()) {
                    c.getInputStream().read(new byte[65_536]);
                    java.io.OutputStream out = c.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write("7\r\n: ping\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // the client reset the stream
                }
            }, "pinger");
            pinger.setDaemon(true);
            pinger.start();
            List<RequestResult> results = drive("http://127.0.0.1:" + server.getLocalPort(), "chat", 1, 1,
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()),
                    1_000);
            RequestResult r = results.get(0);
            assertEquals("timeout", r.errorClass());
            assertTrue(r.endNs() < 5_000_000_000L, "ended at the 1 s timeout, not after 10 s of pings: " + r.endNs());
        }
    }
}
