package io.tokenscope.producer.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What one OpenAI-style stream event says: generated text (chat {@code delta.content} or
 * completions {@code text}), a finish reason, usage, or an in-stream error. Events with empty
 * {@code choices} or an empty delta are valid and carry only usage or nothing.
 */
public record StreamChunk(String text, String finishReason, Integer promptTokens, Integer completionTokens,
                          Integer cachedTokens, String error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String DONE = "[DONE]";

    /** Thrown when an event's data is not the JSON an OpenAI stream sends. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    public boolean hasText() {
        return text != null && !text.isEmpty();
    }

    public static StreamChunk parse(String data) throws Malformed {
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (IOException e) {
            throw new Malformed("chunk is not JSON: " + abbreviate(data));
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("chunk is not a JSON object: " + abbreviate(data));
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String message = error.isObject() ? error.path("message").asText(error.toString()) : error.asText();
            return new StreamChunk(null, null, null, null, null, message);
        }
        if ("error".equals(root.path("object").asText())) {
            return new StreamChunk(null, null, null, null, null, root.path("message").asText("error"));
        }
        String text = null;
        String finish = null;
        JsonNode choices = root.path("choices");
        if (choices.isArray() && !choices.isEmpty()) {
            JsonNode choice = choices.get(0);
            JsonNode delta = choice.get("delta");
            JsonNode content = delta != null ? delta.get("content") : choice.get("text");
            if (content != null && !content.isNull()) {
                text = content.asText();
            }
            JsonNode fr = choice.get("finish_reason");
            if (fr != null && !fr.isNull()) {
                finish = fr.asText();
            }
        }
        JsonNode usage = root.get("usage");
        Integer prompt = null, completion = null, cached = null;
        if (usage != null && usage.isObject()) {
            prompt = intOrNull(usage.get("prompt_tokens"));
            completion = intOrNull(usage.get("completion_tokens"));
            cached = intOrNull(usage.path("prompt_tokens_details").get("cached_tokens"));
        }
        return new StreamChunk(text, finish, prompt, completion, cached, null);
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() || !n.canConvertToInt() ? null : n.asInt();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
