package io.tokenscope.sim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VllmFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Usage USAGE = new Usage(5, 1, 0);
    private final VllmFormat chat = new VllmFormat(Api.CHAT, "chatcmpl-7", 1700000000, "m\"x", false, false,
            CacheReport.ALWAYS);

    private static JsonNode event(String sse) throws Exception {
        assertTrue(sse.startsWith("data: ") && sse.endsWith("\n\n"), sse);
        return JSON.readTree(sse.substring(6, sse.length() - 2));
    }

    @Test
    void roleChunkAnnouncesTheAssistantWithEmptyContent() throws Exception {
        JsonNode e = event(Chunks.role(chat));
        assertEquals("chat.completion.chunk", e.get("object").asText());
        assertEquals("m\"x", e.get("model").asText());
        assertEquals("assistant", e.at("/choices/0/delta/role").asText());
        assertEquals("", e.at("/choices/0/delta/content").asText());
        assertTrue(e.at("/choices/0/finish_reason").isNull());
    }

    @Test
    void textChunksEscapeAndFinishOnTheLast() throws Exception {
        JsonNode mid = event(Chunks.text(chat, "a \"quote\"\n", null, USAGE));
        assertEquals("a \"quote\"\n", mid.at("/choices/0/delta/content").asText());
        assertTrue(mid.at("/choices/0/finish_reason").isNull());
        JsonNode last = event(Chunks.text(chat, "end", "length", USAGE));
        assertEquals("length", last.at("/choices/0/finish_reason").asText());
        assertTrue(last.at("/choices/0").has("stop_reason"));
    }

    @Test
    void usageChunkHasEmptyChoicesAndCachedTokens() throws Exception {
        JsonNode u = event(Chunks.usage(chat, new Usage(1000, 32, 992)));
        assertEquals(0, u.get("choices").size());
        assertEquals(1032, u.at("/usage/total_tokens").asInt());
        assertEquals(992, u.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    }

    @Test
    void completionsChunkPutsTextAtTheChoice() throws Exception {
        VllmFormat completions = new VllmFormat(Api.COMPLETIONS, "cmpl-1", 1, "m", true, false, CacheReport.ALWAYS);
        JsonNode e = event(Chunks.text(completions, "tok", null, USAGE));
        assertEquals("text_completion", e.get("object").asText());
        assertEquals("tok", e.at("/choices/0/text").asText());
        assertEquals(1, e.at("/usage/completion_tokens").asInt());
    }
}
