package io.tokenscope.producer.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Reads the event token by token, keeping only the fields above, rather than building a tree
     * of every field: this runs on the event loop for every chunk, and the tree was its largest
     * cost after the socket reads. Field order does not matter; an error wins over everything.
     */
    public static StreamChunk parse(String data) throws Malformed {
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("chunk is not a JSON object: " + abbreviate(data));
            }
            String error = null, object = null, message = null, text = null, finish = null;
            Integer prompt = null, completion = null, cached = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "error" -> {
                        JsonNode e = JSON.readTree(p); // rare, so read whole
                        error = e == null || e.isNull() ? null
                                : e.isObject() ? e.path("message").asText(e.toString()) : e.asText();
                    }
                    case "object" -> object = scalarText(p, value);
                    case "message" -> message = scalarText(p, value);
                    case "choices" -> {
                        text = null; // a repeated field counts as its last value
                        finish = null;
                        JsonToken first = value == JsonToken.START_ARRAY ? p.nextToken() : null;
                        if (first == JsonToken.START_OBJECT) {
                            String[] choice = firstChoice(p);
                            text = choice[0];
                            finish = choice[1];
                        }
                        p.skipChildren(); // a value that is not an array, or a first choice that is not an object
                        if (first != null && first != JsonToken.END_ARRAY) {
                            skipRestOfArray(p);
                        }
                    }
                    case "usage" -> {
                        prompt = null;
                        completion = null;
                        cached = null;
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                JsonToken v = p.nextToken();
                                switch (name) {
                                    case "prompt_tokens" -> prompt = intOrNull(p, v);
                                    case "completion_tokens" -> completion = intOrNull(p, v);
                                    case "prompt_tokens_details" -> cached = fieldOf(p, v, "cached_tokens", StreamChunk::intOrNull);
                                    default -> p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (error != null) {
                return new StreamChunk(null, null, null, null, null, error);
            }
            if ("error".equals(object)) {
                return new StreamChunk(null, null, null, null, null, message != null ? message : "error");
            }
            return new StreamChunk(text, finish, prompt, completion, cached, null);
        } catch (IOException e) {
            throw new Malformed("chunk is not JSON: " + abbreviate(data));
        }
    }

    /** {text, finish reason} of the choice whose START_OBJECT is current; leaves its END_OBJECT current. */
    private static String[] firstChoice(JsonParser p) throws IOException {
        String deltaContent = null, choiceText = null, finish = null;
        boolean hasDelta = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "delta" -> {
                    hasDelta = true;
                    deltaContent = fieldOf(p, v, "content", StreamChunk::scalarText);
                }
                case "text" -> choiceText = scalarText(p, v);
                case "finish_reason" -> finish = scalarText(p, v);
                default -> p.skipChildren();
            }
        }
        return new String[] {hasDelta ? deltaContent : choiceText, finish};
    }

    /** Skips the elements after the current one, up to and including the array's END_ARRAY. */
    private static void skipRestOfArray(JsonParser p) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
    }

    /** A value as text the way JsonNode.asText() gives it: null for JSON null, "" for an object or array. */
    private static String scalarText(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return p.getText();
    }

    /** An int when the value is a number that fits one (a fraction is truncated), else null. */
    private static Integer intOrNull(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : (int) d;
            }
            return null;
        }
        p.skipChildren();
        return null;
    }

    private interface ValueReader<T> {
        T read(JsonParser p, JsonToken value) throws IOException;
    }

    /** One field of the object that is the current value, read by {@code reader}; null if absent or not an object. */
    private static <T> T fieldOf(JsonParser p, JsonToken value, String name, ValueReader<T> reader) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        T found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = p.currentName().equals(name);
            JsonToken v = p.nextToken();
            if (wanted) found = reader.read(p, v);
            else p.skipChildren();
        }
        return found;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
