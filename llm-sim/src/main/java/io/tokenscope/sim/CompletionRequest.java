package io.tokenscope.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenscope.sim.wire.Api;
import io.tokenscope.sim.wire.StreamOptions;
import java.io.IOException;

/** The parts of an OpenAI completion request the simulator acts on. */
record CompletionRequest(Api api, String model, String prompt, int maxTokens, boolean stream,
                         StreamOptions streamOptions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a request vLLM would answer with 400; the message names the field. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    static CompletionRequest parse(Api api, byte[] body, int defaultMaxTokens) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("request body must be a JSON object");
        }
        String prompt = api == Api.CHAT ? chatPrompt(root) : completionPrompt(root);
        JsonNode max = root.hasNonNull("max_completion_tokens") ? root.get("max_completion_tokens") : root.get("max_tokens");
        int maxTokens = defaultMaxTokens;
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || max.asInt() < 1) {
                throw new BadRequest("max_tokens must be a positive integer, got " + max);
            }
            maxTokens = max.asInt();
        }
        JsonNode options = root.path("stream_options");
        StreamOptions streamOptions = options.isObject()
                ? new StreamOptions(true, options.has("include_usage") ? options.get("include_usage").asBoolean(false) : null,
                        options.path("continuous_usage_stats").asBoolean(false))
                : StreamOptions.NONE;
        return new CompletionRequest(api, root.path("model").asText(""), prompt, maxTokens,
                root.path("stream").asBoolean(false), streamOptions);
    }

    private static String chatPrompt(JsonNode root) throws BadRequest {
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequest("messages must be a non-empty array");
        }
        // A chat template flattens roles and contents; the exact markers only need to be stable.
        StringBuilder prompt = new StringBuilder();
        for (JsonNode m : messages) {
            JsonNode content = m.get("content");
            prompt.append("<|").append(m.path("role").asText("user")).append("|>\n");
            if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    prompt.append(part.path("text").asText(""));
                }
            } else if (content != null) {
                prompt.append(content.asText());
            }
            prompt.append('\n');
        }
        return prompt.append("<|assistant|>\n").toString();
    }

    private static String completionPrompt(JsonNode root) throws BadRequest {
        JsonNode prompt = root.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw new BadRequest("prompt is required");
        }
        if (prompt.isArray()) {
            if (prompt.size() != 1) {
                throw new BadRequest("prompt arrays must hold exactly one prompt in this simulator");
            }
            return prompt.get(0).asText();
        }
        return prompt.asText();
    }
}
