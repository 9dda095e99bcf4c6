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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The producer against every server framing the simulator reproduces (vLLM, SGLang, llama.cpp,
 * TGI, and all quirks at once), over real HTTP on loopback: every token counted, and faults classified the same way.
 */
class WireStylesTest {
    private static List<RequestResult> run(String wire, String api, String fault, int requests) throws Exception {
        return run(wire, api, fault, requests, 5_000);
    }

    private static List<RequestResult> run(String wire, String api, String fault, int requests, long timeoutMs)
            throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "3", "--itl-ms", "1", "--output-tokens", "8", "--event-loops", "1", "--wire", wire}));
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(2));
            Endpoint endpoint = Endpoint.parse(sim.baseUrl(), "--endpoint");
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, endpoint,
                    TelemetrySink.DISCARD, new MonotonicClock(), timeoutMs);
            RunContext ctx = new RunContext("r", "s", 1, 2, sim.baseUrl(), "m", api);
            List<Prompt> prompts = Collections.nCopies(requests, new Prompt("Was the film good?", 8));
            return driver.withFault(fault).run(ctx, prompts, wire).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang", "llamacpp", "tgi", "stress"})
    void everyTokenOfEveryStyleIsCounted(String wire) throws Exception {
        for (String api : new String[] {"chat", "completions"}) {
            for (RequestResult r : run(wire, api, null, 3)) {
                assertTrue(r.ok(), wire + "/" + api + ": " + r.errorClass() + " " + r.errorMessage());
                assertEquals(8, r.chunks(), wire + "/" + api);
                assertEquals("length", r.finishReason(), wire + "/" + api);
                assertEquals(8, r.completionTokens(), wire + "/" + api);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void chunksOfSeveralTokensAreCountedExactlyWithContinuousUsage() throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--engine", "fixed",
            "--ttft-ms", "3", "--itl-ms", "2", "--output-tokens", "8", "--event-loops", "1", "--stream-interval", "4"}));
        Vertx vertx = Vertx.vertx();
        try {
            LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(),
                    vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1)),
                    Endpoint.parse(sim.baseUrl(), "--endpoint"), TelemetrySink.DISCARD, new MonotonicClock(), 5_000,
                    RequestShape.of(null, java.util.Map.of(), null, null, 0, true));
            RequestResult r = driver.run(new RunContext("r", "s", 1, 1, sim.baseUrl(), "m", "chat"),
                    List.of(new Prompt("count me", 8)), "k4").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).get(0);
            assertTrue(r.ok(), r.errorMessage());
            assertEquals(3, r.chunks(), "the first token alone, then chunks of 4 and 3");
            assertEquals(List.of(1, 4, 3), java.util.Arrays.stream(r.chunkTokens()).boxed().toList());
            assertEquals(8, r.outputTokens());
            var summary = io.tokenscope.producer.report.RunSummary.of("r", List.of(r), 1);
            assertEquals(2, summary.itl().count(), "one ITL per gap");
            assertEquals(7, summary.itlPerToken().count(), "one per token after the first");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang", "llamacpp", "tgi", "stress"})
    void inStreamErrorIsAStreamErrorWithOrWithoutDone(String wire) throws Exception {
        for (RequestResult r : run(wire, "chat", "error_event@4", 2)) {
            assertFalse(r.ok());
            assertEquals("stream_error", r.errorClass(), wire);
            assertEquals(3, r.chunks(), "tokens before the error are kept");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reset@3=stream_reset", "malformed@2=malformed_chunk", "no_done=ok",
        "http_503=http_503", "http_429=http_429"})
    void faultsAreClassified(String spec) throws Exception {
        String[] parts = spec.split("=");
        for (RequestResult r : run("vllm", "chat", parts[0], 2)) {
            if (parts[1].equals("ok")) {
                assertTrue(r.ok(), "a stream without [DONE] but with a finish_reason is complete");
            } else {
                assertFalse(r.ok());
                assertEquals(parts[1], r.errorClass(), r.errorMessage());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "stress"})
    void aSilenceLongerThanTheTimeoutIsATimeoutWithItsTokensKept(String wire) throws Exception {
        for (RequestResult r : run(wire, "chat", "stall@3:2500", 2, 1_000)) {
            assertFalse(r.ok());
            assertEquals("timeout", r.errorClass(), r.errorMessage());
            assertEquals(2, r.chunks(), "the two tokens before the silence are kept");
        }
    }
}
