package io.tokenscope.producer.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one OpenAI-style stream event says: generated text (chat {@code delta.content} or
 * completions {@code text}), reasoning text (chat {@code delta.reasoning_content}, or
 * {@code delta.reasoning}, from servers that parse a reasoning model's thinking apart), a finish
 * reason, usage, or an in-stream error. Events with empty {@code choices} or an empty delta are
 * valid and carry only usage or nothing.
 */
public record StreamChunk(String text, String reasoning, String finishReason, Integer promptTokens, Integer completionTokens,
                          Integer cachedTokens, String error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** Whether an event's data is exactly the end marker, [DONE], compared as bytes. */
    public static boolean isDone(byte[] data, int length) {
        return Arrays.equals(data, 0, length, DONE, 0, DONE.length);
    }

    /** Thrown when an event's data is not the JSON an OpenAI stream sends. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    public boolean hasText() {
        return text != null && !text.isEmpty();
    }

    public boolean hasReasoning() {
        return reasoning != null && !reasoning.isEmpty();
    }

    /**
     * Reads the event token by token, keeping only the fields above, rather than building a tree
     * of every field: this runs on the event loop for every chunk, and the tree was its largest
     * cost after the socket reads. Field order does not matter; an error wins over everything.
     */
    public static StreamChunk parse(String data) throws Malformed {
        try (JsonParser p = JSON.createParser(data)) {
            return readObject(p, data);
        } catch (IOException e) {
            throw new Malformed("chunk is not JSON: " + abbreviate(data));
        }
    }

    /**
     * Reads one stream's events in turn with one non-blocking parser, which takes root value
     * after root value and so keeps its buffers, contexts and symbol table. A parser per event
     * was about a third of what the event loop allocated at 1,000 streams. Anything off the
     * common path (an error field, bytes that are not valid JSON in UTF-8, a truncated object)
     * drops the parser and reads the event again as {@link #parse(String)} does, so both give
     * the same answer for every input.
     */
    public static final class Reader implements AutoCloseable {
        private JsonParser parser;
        private int reparsed;

        /** The event in {@code data[0, length)}; the array may be reused once this returns. */
        public StreamChunk read(byte[] data, int length) throws Malformed {
            try {
                if (parser == null) {
                    parser = JSON.getFactory().createNonBlockingByteArrayParser();
                }
                ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(data, 0, length);
                StreamChunk chunk = readObject(parser, null);
                // Whatever follows the object is read now, so the parser is fed again only once it has
                // taken every byte. A value after it is dropped with the parser, as parse(String)
                // ignores it. A part of one (a number or string cut off) stays behind, but then the
                // next event's first token is that value or an error, not an object, so it falls back.
                if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                    close();
                }
                return chunk;
            } catch (IOException | Reparse e) {
                close();
                reparsed++;
                return parse(new String(data, 0, length, StandardCharsets.UTF_8));
            }
        }

        /** Gives the parser's buffers back to the thread's recycler, for the next stream's parser. */
        @Override
        public void close() {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // nothing was read from a stream, so there is nothing to report
                }
                parser = null;
            }
        }

        /** Events read again as text so far: none on a well-formed stream, or the reuse is lost. */
        int reparsed() {
            return reparsed;
        }
    }

    /** The non-blocking parser met an error field, or an event that is not a whole object: read it as text. */
    private static final class Reparse extends RuntimeException {
        static final Reparse INSTANCE = new Reparse();

        private Reparse() {
            super(null, null, false, false);
        }
    }

    /**
     * data: the event's text, for messages and to read an error whole; null when p is the
     * non-blocking parser, which then throws {@link Reparse} where the text is needed.
     */
    private static StreamChunk readObject(JsonParser p, String data) throws IOException, Malformed {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            if (data == null) throw Reparse.INSTANCE;
            throw new Malformed("chunk is not a JSON object: " + abbreviate(data));
        }
        String error = null, object = null, message = null, text = null, reasoning = null, finish = null;
        Integer prompt = null, completion = null, cached = null;
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "error" -> {
                    if (data == null) throw Reparse.INSTANCE;
                    JsonNode e = JSON.readTree(p); // rare, so read whole
                    error = e == null || e.isNull() ? null
                            : e.isObject() ? e.path("message").asText(e.toString()) : e.asText();
                }
                case "object" -> object = scalarText(p, value);
                case "message" -> message = scalarText(p, value);
                case "choices" -> {
                    text = null; // a repeated field counts as its last value
                    reasoning = null;
                    finish = null;
                    JsonToken first = value == JsonToken.START_ARRAY ? p.nextToken() : null;
                    if (first == JsonToken.START_OBJECT) {
                        String[] choice = firstChoice(p);
                        text = choice[0];
                        reasoning = choice[1];
                        finish = choice[2];
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
        // Only a non-blocking parser stops short, when the bytes run out: NOT_AVAILABLE, which
        // leaves currentToken() as it was, so the loop's own last token is what tells.
        if (next != JsonToken.END_OBJECT) {
            if (data == null) throw Reparse.INSTANCE;
            throw new Malformed("chunk is not JSON: " + abbreviate(data));
        }
        if (error != null) {
            return new StreamChunk(null, null, null, null, null, null, error);
        }
        if ("error".equals(object)) {
            return new StreamChunk(null, null, null, null, null, null, message != null ? message : "error");
        }
        return new StreamChunk(text, reasoning, finish, prompt, completion, cached, null);
    }

    /** {text, reasoning, finish reason} of the choice whose START_OBJECT is current; leaves its END_OBJECT current. */
    private static String[] firstChoice(JsonParser p) throws IOException {
        String[] delta = null;
        String choiceText = null, finish = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "delta" -> delta = delta(p, v);
                case "text" -> choiceText = scalarText(p, v);
                case "finish_reason" -> finish = scalarText(p, v);
                default -> p.skipChildren();
            }
        }
        return delta != null ? new String[] {delta[0], delta[1], finish} : new String[] {choiceText, null, finish};
    }

    /** {content, reasoning} of a delta; reasoning_content (vLLM, SGLang, DeepSeek) before reasoning (newer vLLM). */
    private static String[] delta(JsonParser p, JsonToken value) throws IOException {
        String content = null, reasoningContent = null, reasoning = null;
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new String[2];
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "content" -> content = scalarText(p, v);
                case "reasoning_content" -> reasoningContent = scalarText(p, v);
                case "reasoning" -> reasoning = scalarText(p, v);
                default -> p.skipChildren();
            }
        }
        return new String[] {content, reasoningContent != null ? reasoningContent : reasoning};
    }

    /** Skips the elements after the current one, up to and including the array's END_ARRAY. */
    private static void skipRestOfArray(JsonParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.NOT_AVAILABLE) throw Reparse.INSTANCE;
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
