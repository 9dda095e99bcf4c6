package io.tokenscope.producer.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamChunkTest {
    @Test
    void vllmChatRoleChunkCarriesNoText() throws Exception {
        StreamChunk c = StreamChunk.parse("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}");
        assertFalse(c.hasText());
        assertNull(c.finishReason());
    }

    @Test
    void vllmChatTextAndFinish() throws Exception {
        StreamChunk c = StreamChunk.parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" good\"},"
                + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}]}");
        assertEquals(" good", c.text());
        assertEquals("length", c.finishReason());
    }

    @Test
    void completionsText() throws Exception {
        StreamChunk c = StreamChunk.parse("{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"x\","
                + "\"finish_reason\":null}]}");
        assertEquals("x", c.text());
    }

    @Test
    void usageChunkWithEmptyChoicesAndCachedTokens() throws Exception {
        StreamChunk c = StreamChunk.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"total_tokens\":1032,"
                + "\"completion_tokens\":32,\"prompt_tokens_details\":{\"cached_tokens\":992}}}");
        assertFalse(c.hasText());
        assertEquals(1000, c.promptTokens());
        assertEquals(32, c.completionTokens());
        assertEquals(992, c.cachedTokens());
    }

    @Test
    void emptyDeltaFinishChunkOfSglang() throws Exception {
        StreamChunk c = StreamChunk.parse("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        assertFalse(c.hasText());
        assertEquals("stop", c.finishReason());
    }

    @Test
    void inStreamErrorsInBothShapes() throws Exception {
        assertEquals("boom", StreamChunk.parse("{\"error\":{\"message\":\"boom\",\"code\":500}}").error());
        assertEquals("bad", StreamChunk.parse("{\"object\":\"error\",\"message\":\"bad\",\"code\":400}").error());
        assertEquals("plain", StreamChunk.parse("{\"error\":\"plain\"}").error());
    }

    @Test
    void doneIsTheWholeEventOnly() {
        byte[] buffer = "[DONE]{\"left\":\"over\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(StreamChunk.isDone(buffer, 6));
        assertFalse(StreamChunk.isDone(buffer, 5));
        assertFalse(StreamChunk.isDone(buffer, 7));
        assertFalse(StreamChunk.isDone("[done]".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 6));
    }

    @Test
    void malformedJsonIsRejectedWithTheData() {
        StreamChunk.Malformed e = assertThrows(StreamChunk.Malformed.class, () -> StreamChunk.parse("{\"choices\":["));
        assertTrue(e.getMessage().contains("{\"choices\":["), e.getMessage());
        assertThrows(StreamChunk.Malformed.class, () -> StreamChunk.parse("[1,2]"));
    }
}
