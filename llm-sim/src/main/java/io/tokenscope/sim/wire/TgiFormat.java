package io.tokenscope.sim.wire;

/**
 * Text Generation Inference's OpenAI-compatible chunks (router/src/lib.rs, chat.rs, server.rs):
 * serde puts the "object" tag first; "id" is always empty; every chat delta carries the role
 * along with its text, so there is no role-only first chunk; "usage" is null on every chat
 * chunk; a completions chunk's finish_reason is "" until the last, which always carries usage.
 * The usage chunk (include_usage) has three counts and no cached tokens.
 */
public final class TgiFormat implements ChunkFormat {
    /** TGI's system_fingerprint: its version, then the docker label or "native". */
    static final String FINGERPRINT = "3.3.6-native";

    private final Api api;
    private final long created;
    private final String model;

    public TgiFormat(Api api, long created, String model) {
        this.api = api;
        this.created = created;
        this.model = model;
    }

    private StringBuilder head(StringBuilder out, String object) {
        out.append("data: {\"object\":\"").append(object)
                .append("\",\"id\":\"\",\"created\":").append(created);
        if (api == Api.CHAT) {
            Json.quote(out.append(",\"model\":"), model);
            Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        }
        return out;
    }

    @Override
    public void roleChunk(StringBuilder out, Usage usage) {
        // every delta carries the role
    }

    @Override
    public void textChunk(StringBuilder out, CharSequence text, String finishReason, Usage usage) {
        if (api == Api.CHAT) {
            head(out, api.chunkObject).append(",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",");
            Json.quote(out.append("\"content\":"), text).append("},\"logprobs\":null,\"finish_reason\":");
            (finishReason == null ? out.append("null") : Json.quote(out, finishReason)).append("}],\"usage\":null}\n\n");
            return;
        }
        // Completions: Chunk is {id, created, choices, model, system_fingerprint}; the last is a
        // CompletionFinal {id, created, model, system_fingerprint, choices, usage}.
        head(out, api.chunkObject);
        if (finishReason == null) {
            completionChoice(out.append(",\"choices\":"), text, "");
            Json.quote(out.append(",\"model\":"), model);
            Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        } else {
            Json.quote(out.append(",\"model\":"), model);
            Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
            completionChoice(out.append(",\"choices\":"), text, finishReason);
            usage.appendTgi(out.append(",\"usage\":"));
        }
        out.append("}\n\n");
    }

    private static void completionChoice(StringBuilder out, CharSequence text, String finishReason) {
        Json.quote(out.append("[{\"index\":0,\"text\":"), text).append(",\"logprobs\":null,\"finish_reason\":");
        Json.quote(out, finishReason).append("}]");
    }

    @Override
    public void finishChunk(StringBuilder out, String finishReason, Usage usage) {
        textChunk(out, "", finishReason, usage);
    }

    @Override
    public void usageChunk(StringBuilder out, Usage usage) {
        if (api == Api.COMPLETIONS) {
            return; // TGI's completions stream has no usage chunk; its last chunk carries usage
        }
        usage.appendTgi(head(out, api.chunkObject).append(",\"choices\":[],\"usage\":"));
        out.append("}\n\n");
    }

    @Override
    public String fullResponse(String text, String finishReason, Usage usage) {
        StringBuilder out = new StringBuilder(256).append("{\"object\":\"").append(api.fullObject)
                .append("\",\"id\":\"\",\"created\":").append(created);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        if (api == Api.CHAT) {
            Json.quote(out.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"), text)
                    .append("},\"logprobs\":null,\"finish_reason\":");
        } else {
            Json.quote(out.append(",\"choices\":[{\"index\":0,\"text\":"), text).append(",\"logprobs\":null,\"finish_reason\":");
        }
        Json.quote(out, finishReason).append("}],\"usage\":");
        usage.appendTgi(out);
        return out.append('}').toString();
    }
}
