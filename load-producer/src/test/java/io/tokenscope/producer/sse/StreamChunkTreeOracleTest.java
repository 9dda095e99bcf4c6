package io.tokenscope.producer.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader against what a tree of the same event says, over random events in the
 * shapes OpenAI-compatible servers send (and odd ones: nulls, wrong types, fields in any order,
 * usage-only and error events).
 */
class StreamChunkTreeOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The reading by tree that the streaming reader replaced, as the oracle. */
    private static StreamChunk byTree(String data) throws Exception {
        JsonNode root = JSON.readTree(data);
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            return new StreamChunk(null, null, null, null, null, null,
                    error.isObject() ? error.path("message").asText(error.toString()) : error.asText());
        }
        if ("error".equals(root.path("object").asText())) {
            return new StreamChunk(null, null, null, null, null, null, root.path("message").asText("error"));
        }
        String text = null, reasoning = null, finish = null;
        JsonNode choices = root.path("choices");
        if (choices.isArray() && !choices.isEmpty()) {
            JsonNode choice = choices.get(0);
            JsonNode delta = choice.get("delta");
            JsonNode content = delta != null ? delta.get("content") : choice.get("text");
            if (content != null && !content.isNull()) text = content.asText();
            if (delta != null) {
                JsonNode r = delta.get("reasoning_content");
                if (r == null || r.isNull()) r = delta.get("reasoning");
                if (r != null && !r.isNull()) reasoning = r.asText();
            }
            JsonNode fr = choice.get("finish_reason");
            if (fr != null && !fr.isNull()) finish = fr.asText();
        }
        JsonNode usage = root.get("usage");
        Integer prompt = null, completion = null, cached = null;
        if (usage != null && usage.isObject()) {
            prompt = intOrNull(usage.get("prompt_tokens"));
            completion = intOrNull(usage.get("completion_tokens"));
            cached = intOrNull(usage.path("prompt_tokens_details").get("cached_tokens"));
        }
        return new StreamChunk(text, reasoning, finish, prompt, completion, cached, null);
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() || !n.canConvertToInt() ? null : n.asInt();
    }

    private static JsonNode odd(SplittableRandom rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(rnd.nextInt(-5, 5000));
            case 2 -> F.numberNode(rnd.nextDouble() * 100);
            case 3 -> F.numberNode(1L << 40);
            case 4 -> F.booleanNode(rnd.nextBoolean());
            case 5 -> F.objectNode().put("x", 1);
            default -> F.arrayNode().add(1).add("y");
        };
    }

    private static JsonNode text(SplittableRandom rnd) {
        return rnd.nextInt(5) == 0 ? odd(rnd) : F.textNode(List.of("", " good", "é語", "\"quoted\"\n", "x").get(rnd.nextInt(5)));
    }

    private static ObjectNode shuffled(SplittableRandom rnd, ObjectNode in) {
        List<String> names = new ArrayList<>();
        in.fieldNames().forEachRemaining(names::add);
        Collections.shuffle(names, new java.util.Random(rnd.nextLong()));
        ObjectNode out = F.objectNode();
        for (String n : names) out.set(n, in.get(n));
        return out;
    }

    private static ObjectNode event(SplittableRandom rnd) {
        ObjectNode e = F.objectNode().put("id", "chatcmpl-" + rnd.nextInt(1000)).put("created", 1).put("model", "m");
        if (rnd.nextInt(10) == 0) e.set("error", rnd.nextBoolean() ? F.objectNode().put("message", "boom").put("code", 500)
                : rnd.nextBoolean() ? F.objectNode().put("code", 1) : odd(rnd));
        e.set("object", rnd.nextInt(10) == 0 ? F.textNode("error")
                : F.textNode(rnd.nextBoolean() ? "chat.completion.chunk" : "text_completion"));
        if (rnd.nextInt(8) == 0) e.set("message", rnd.nextBoolean() ? F.textNode("bad") : odd(rnd));
        int shape = rnd.nextInt(6);
        if (shape == 0) {
            e.set("choices", odd(rnd));
        } else if (shape > 1) {
            ArrayNode choices = F.arrayNode();
            int n = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (rnd.nextInt(10) == 0) {
                    choices.add(odd(rnd));
                    continue;
                }
                ObjectNode c = F.objectNode().put("index", i);
                if (rnd.nextBoolean()) {
                    ObjectNode delta = F.objectNode().put("role", "assistant");
                    delta.set("content", text(rnd));
                    if (rnd.nextInt(3) == 0) delta.set("reasoning_content", text(rnd));
                    if (rnd.nextInt(3) == 0) delta.set("reasoning", text(rnd));
                    c.set("delta", rnd.nextInt(6) == 0 ? odd(rnd) : shuffled(rnd, delta));
                } else {
                    c.set("text", text(rnd));
                }
                c.set("logprobs", F.nullNode());
                c.set("finish_reason", rnd.nextBoolean() ? F.nullNode() : rnd.nextInt(4) == 0 ? odd(rnd) : F.textNode("stop"));
                choices.add(shuffled(rnd, c));
            }
            e.set("choices", choices);
        }
        if (rnd.nextInt(3) == 0) {
            ObjectNode usage = F.objectNode();
            usage.set("prompt_tokens", rnd.nextInt(4) == 0 ? odd(rnd) : F.numberNode(rnd.nextInt(5000)));
            usage.set("completion_tokens", rnd.nextInt(4) == 0 ? odd(rnd) : F.numberNode(rnd.nextInt(5000)));
            usage.put("total_tokens", 1);
            if (rnd.nextBoolean()) {
                usage.set("prompt_tokens_details", rnd.nextInt(4) == 0 ? odd(rnd)
                        : F.objectNode().set("cached_tokens", rnd.nextInt(4) == 0 ? odd(rnd) : F.numberNode(rnd.nextInt(5000))));
            }
            e.set("usage", rnd.nextInt(8) == 0 ? odd(rnd) : shuffled(rnd, usage));
        }
        return shuffled(rnd, e);
    }

    /** What parse(String) makes of the bytes: a chunk, or the Malformed message. */
    private static Object byText(byte[] data) {
        try {
            return StreamChunk.parse(new String(data, StandardCharsets.UTF_8));
        } catch (StreamChunk.Malformed e) {
            return "malformed: " + e.getMessage();
        }
    }

    /** Events a broken or odd server sends between good ones, as bytes. */
    private static byte[] oddEvent(SplittableRandom rnd, String good) {
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
        return switch (rnd.nextInt(9)) {
            case 0 -> Arrays.copyOf(bytes, rnd.nextInt(bytes.length)); // cut anywhere
            case 1 -> (good + " " + good).getBytes(StandardCharsets.UTF_8);
            case 2 -> (good + List.of("5", " 5", "\"half", "tru", "{\"a\":", "]", " x").get(rnd.nextInt(7)))
                    .getBytes(StandardCharsets.UTF_8);
            case 3 -> List.of("[1,2]", "\"text\"", "42", "", "  ", "null").get(rnd.nextInt(6)).getBytes(StandardCharsets.UTF_8);
            case 4 -> { // bytes that are not UTF-8, inside a string or outside
                byte[] b = Arrays.copyOf(bytes, bytes.length);
                b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(0x40));
                yield b;
            }
            case 5 -> ("  \r\n" + good + " \n\t").getBytes(StandardCharsets.UTF_8);
            default -> bytes;
        };
    }

    @Test
    void oneReaderOverAStreamSaysWhatParseSays() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        StreamChunk.Reader reader = new StreamChunk.Reader();
        byte[] buffer = new byte[64];
        for (int i = 0; i < 20_000; i++) {
            String good = JSON.writeValueAsString(event(rnd));
            byte[] data = rnd.nextInt(4) == 0 ? oddEvent(rnd, good) : good.getBytes(StandardCharsets.UTF_8);
            // The caller's array is reused, with the last event's bytes behind this one's.
            if (buffer.length < data.length) buffer = Arrays.copyOf(buffer, data.length * 2);
            System.arraycopy(data, 0, buffer, 0, data.length);
            Object read;
            try {
                read = reader.read(buffer, data.length);
            } catch (StreamChunk.Malformed e) {
                read = "malformed: " + e.getMessage();
            }
            assertEquals(byText(data), read, new String(data, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aWellFormedStreamIsReadWithOneParser() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        StreamChunk.Reader reader = new StreamChunk.Reader();
        int errors = 0;
        for (int i = 0; i < 2_000; i++) {
            ObjectNode e = event(rnd);
            if (e.has("error")) {
                errors++; // an error field, even null, is read as text by design
            }
            byte[] data = JSON.writeValueAsBytes(e);
            assertEquals(byTree(new String(data, StandardCharsets.UTF_8)), reader.read(data, data.length));
        }
        assertEquals(errors, reader.reparsed());
    }

    @Test
    void streamingReaderSaysWhatTheTreeSays() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            String data = JSON.writeValueAsString(event(rnd));
            assertEquals(byTree(data), StreamChunk.parse(data), data);
        }
    }
}
