package io.tokenscope.sim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Each server's payloads byte for byte, as read in its source; see {@link Dialect} for where. */
class DialectGoldenTest {
    private static final Usage USAGE = new Usage(12, 3, 0);

    @Test
    void vllmErrorsNestUnderErrorAndAnEngineFailureHasNoBody() {
        assertEquals(new Dialect.HttpError(400,
                "{\"error\":{\"message\":\"bad \\\"n\\\"\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}"),
                Dialect.VLLM.httpError(400, "bad \"n\""));
        assertEquals(new Dialect.HttpError(429,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"RateLimitError\",\"param\":null,\"code\":429}}"),
                Dialect.VLLM.httpError(429, "slow down"));
        assertEquals(new Dialect.HttpError(500, ""), Dialect.VLLM.httpError(500, "boom"));
        assertEquals(new Dialect.HttpError(503, "{\"error\":\"The model is currently scaling. Please try again later.\"}"),
                Dialect.VLLM.httpError(503, "x"));
    }

    @Test
    void vllmInStreamErrorIsPythonJsonDumpsWithSpaces() {
        assertEquals("data: {\"error\": {\"message\": \"died\", \"type\": \"InternalServerError\", \"param\": null, "
                + "\"code\": 500}}\n\n", Dialect.VLLM.errorEvent("died"));
    }

    @Test
    void sglangKeepsTheOlderFlatErrorBody() {
        assertEquals(new Dialect.HttpError(503,
                "{\"object\":\"error\",\"message\":\"busy\",\"type\":\"InternalServerError\",\"param\":null,\"code\":503}"),
                Dialect.SGLANG.httpError(503, "busy"));
        assertEquals("data: {\"error\": {\"object\": \"error\", \"message\": \"died\", \"type\": \"InternalServerError\", "
                + "\"param\": null, \"code\": 500}}\n\n", Dialect.SGLANG.errorEvent("died"));
    }

    @Test
    void tgiErrorsAreErrorAndErrorTypeWithItsOwnStatuses() {
        assertEquals(new Dialect.HttpError(422,
                "{\"error\":\"Input validation error: max_tokens must be positive\",\"error_type\":\"validation\"}"),
                Dialect.TGI.httpError(400, "max_tokens must be positive"));
        assertEquals(new Dialect.HttpError(424,
                "{\"error\":\"Request failed during generation: simulated 424\",\"error_type\":\"generation\"}"),
                Dialect.TGI.httpError(424, "simulated 424"));
        assertEquals(new Dialect.HttpError(429, "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}"),
                Dialect.TGI.httpError(429, "x"));
        assertEquals(new Dialect.HttpError(500, "{\"error\":\"Incomplete generation\",\"error_type\":\"incomplete_generation\"}"),
                Dialect.TGI.httpError(500, "x"));
        assertEquals(new Dialect.HttpError(503, "{\"error\":\"unhealthy\",\"error_type\":\"healthcheck\"}"),
                Dialect.TGI.httpError(503, "x"));
        assertEquals("data:{\"error\":{\"message\":\"Request failed during generation: died\",\"http_status_code\":422}}"
                + "\n\n", WireStyle.TGI.frame(Dialect.TGI.errorEvent("died")));
    }

    @Test
    void tgiChatChunksCarryTheRoleInEveryDeltaAndAnEmptyId() {
        ChunkFormat f = Dialect.TGI.chunks(Api.CHAT, "chatcmpl-1", 1700000000, "m", false, true);
        assertEquals("", Chunks.role(f));
        String head = "data:{\"object\":\"chat.completion.chunk\",\"id\":\"\",\"created\":1700000000,\"model\":\"m\","
                + "\"system_fingerprint\":\"3.3.6-native\",";
        assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" The\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
                WireStyle.TGI.frame(Chunks.text(f, " The", null, USAGE)));
        assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\".\"},"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":null}\n\n",
                WireStyle.TGI.frame(Chunks.text(f, ".", "length", USAGE)));
        assertEquals(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n",
                WireStyle.TGI.frame(Chunks.usage(f, USAGE)));
    }

    @Test
    void tgiCompletionChunksSayEmptyFinishReasonUntilTheLastWhichHasUsage() {
        ChunkFormat f = Dialect.TGI.chunks(Api.COMPLETIONS, "cmpl-1", 5, "m", false, true);
        assertEquals("data: {\"object\":\"text_completion\",\"id\":\"\",\"created\":5,\"choices\":[{\"index\":0,"
                + "\"text\":\" a\",\"logprobs\":null,\"finish_reason\":\"\"}],\"model\":\"m\","
                + "\"system_fingerprint\":\"3.3.6-native\"}\n\n", Chunks.text(f, " a", null, USAGE));
        assertEquals("data: {\"object\":\"text_completion\",\"id\":\"\",\"created\":5,\"model\":\"m\","
                + "\"system_fingerprint\":\"3.3.6-native\",\"choices\":[{\"index\":0,\"text\":\" b\",\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
                + "\"total_tokens\":15}}\n\n", Chunks.text(f, " b", "length", USAGE));
        assertEquals("", Chunks.usage(f, USAGE));
    }

    @Test
    void llamaCppChatChunksKeepItsInsertionOrder() {
        ChunkFormat f = Dialect.LLAMA_CPP.chunks(Api.CHAT, "chatcmpl-9", 7, "m", false, true);
        String tail = ",\"created\":7,\"id\":\"chatcmpl-9\",\"model\":\"m\",\"system_fingerprint\":\"b0-llmsim\","
                + "\"object\":\"chat.completion.chunk\"";
        assertEquals("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":null}}]" + tail + "}\n\n", Chunks.role(f));
        assertEquals("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" hi\"}}]" + tail
                + "}\n\n", Chunks.text(f, " hi", null, USAGE));
        assertEquals("data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}]" + tail + "}\n\n",
                Chunks.finish(f, "length", USAGE));
        assertEquals("data: {\"choices\":[]" + tail + ",\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":12,"
                + "\"total_tokens\":15,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n", Chunks.usage(f, USAGE));
    }

    @Test
    void llamaCppCompletionChunksPutTheIdLast() {
        ChunkFormat f = Dialect.LLAMA_CPP.chunks(Api.COMPLETIONS, "cmpl-9", 7, "m", false, true);
        assertEquals("data: {\"choices\":[{\"text\":\" hi\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],"
                + "\"created\":7,\"model\":\"m\",\"system_fingerprint\":\"b0-llmsim\",\"object\":\"text_completion\","
                + "\"id\":\"cmpl-9\"}\n\n", Chunks.text(f, " hi", null, USAGE));
        assertEquals("data: {\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],"
                + "\"created\":7,\"model\":\"m\",\"system_fingerprint\":\"b0-llmsim\",\"object\":\"text_completion\","
                + "\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":12,\"total_tokens\":15,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0}},\"id\":\"cmpl-9\"}\n\n", Chunks.finish(f, "length", USAGE));
        assertEquals(new Dialect.HttpError(400, "{\"error\":{\"code\":400,\"message\":\"no\",\"type\":\"invalid_request_error\"}}"),
                Dialect.LLAMA_CPP.httpError(400, "no"));
    }

    private static StreamOptions options(Boolean include, boolean continuous) {
        return new StreamOptions(true, include, continuous);
    }

    @Test
    void vllmIncludesUsageOnceStreamOptionsAreThereAndContinuousUsageOnlyWithIt() {
        assertEquals(new Dialect.UsageAsked(false, false), Dialect.VLLM.usageAsked(StreamOptions.NONE));
        assertEquals(new Dialect.UsageAsked(true, false), Dialect.VLLM.usageAsked(options(null, false)));
        assertEquals(new Dialect.UsageAsked(true, true), Dialect.VLLM.usageAsked(options(null, true)));
        assertEquals(new Dialect.UsageAsked(false, false), Dialect.VLLM.usageAsked(options(false, true)));
        assertEquals(new Dialect.UsageAsked(false, true), Dialect.SGLANG.usageAsked(options(null, true)));
        assertEquals(new Dialect.UsageAsked(true, false), Dialect.SGLANG.usageAsked(options(true, false)));
        assertEquals(new Dialect.UsageAsked(true, false), Dialect.TGI.usageAsked(options(true, true)));
    }

    @Test
    void vllmContinuousUsageStartsAtTheRoleChunkAndNeverNamesCachedTokens() {
        ChunkFormat f = Dialect.VLLM.chunks(Api.CHAT, "c", 1, "m", true, true);
        String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";
        assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12,"
                + "\"completion_tokens\":0}}\n\n", Chunks.role(f, new Usage(12, 0, 8)));
        assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":15,\"completion_tokens\":3}}\n\n",
                Chunks.text(f, "t", null, new Usage(12, 3, 8)));
        assertEquals(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":15,\"completion_tokens\":3,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":8}}}\n\n", Chunks.usage(f, new Usage(12, 3, 8)));
        assertEquals(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":15,\"completion_tokens\":3,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n", Chunks.usage(f, USAGE), "vLLM reports 0 cached");
    }

    @Test
    void withoutTheCacheReportFlagTheFinalUsageHasNoCachedTokens() throws Exception {
        ChunkFormat vllm = Dialect.VLLM.chunks(Api.CHAT, "c", 1, "m", false, false);
        Usage cached = new Usage(12, 3, 8);
        assertFalse(Chunks.usage(vllm, cached).contains("prompt_tokens_details"));
        assertFalse(Chunks.role(vllm, cached).contains("usage"), "no continuous usage asked");
        var body = new ObjectMapper().readTree(vllm.fullResponse("t", "length", cached));
        assertTrue(body.at("/usage").has("prompt_tokens_details"));
        assertTrue(body.at("/usage/prompt_tokens_details").isNull(), "pydantic writes the unset field as null");
    }

    @Test
    void sglangReportsCachedTokensOnlyWhenSomeWereCachedAndNoUsageOnItsRoleChunk() {
        ChunkFormat f = Dialect.SGLANG.chunks(Api.CHAT, "c", 1, "m", true, true);
        assertFalse(Chunks.role(f).contains("usage"));
        assertTrue(Chunks.text(f, "t", null, new Usage(12, 3, 8)).endsWith(
                "\"usage\":{\"prompt_tokens\":12,\"total_tokens\":15,\"completion_tokens\":3}}\n\n"));
        assertTrue(Chunks.usage(f, new Usage(12, 3, 8)).contains("\"prompt_tokens_details\":{\"cached_tokens\":8}"));
        assertFalse(Chunks.usage(f, USAGE).contains("prompt_tokens_details"));
    }

    @Test
    void everyNonEmptyPayloadIsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Dialect d : Dialect.values()) {
            for (Api api : Api.values()) {
                ChunkFormat f = d.chunks(api, "x", 1, "m", true, true);
                for (String event : new String[] {Chunks.role(f), Chunks.text(f, "t", null, USAGE), Chunks.text(f, "t", "length", USAGE),
                    Chunks.finish(f, "length", USAGE), Chunks.usage(f, USAGE), d.errorEvent("e")}) {
                    if (!event.isEmpty()) {
                        json.readTree(event.substring(event.indexOf('{'), event.length() - 2));
                    }
                }
                json.readTree(f.fullResponse("t", "length", USAGE));
            }
            for (int status : new int[] {400, 404, 422, 424, 429, 500, 503}) {
                String body = d.httpError(status, "m").body();
                if (!body.isEmpty()) json.readTree(body);
            }
        }
    }
}
