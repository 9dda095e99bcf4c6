package io.tokenscope.sim.wire;

/**
 * llama.cpp server's OpenAI-compatible chunks (tools/server/server-task.cpp). Its JSON objects
 * keep insertion order, which is not OpenAI's: "choices" first, then created, id, model,
 * system_fingerprint and "object" last; in a choice, finish_reason before index and delta.
 * The first chat chunk announces the role with content null; the finish reason comes in a
 * chunk of its own with an empty delta (completions: empty text, and usage always).
 */
public final class LlamaCppFormat implements ChunkFormat {
    /** llama_build_info(): "b" + build number + "-" + commit. */
    static final String FINGERPRINT = "b0-llmsim";

    private final Api api;
    private final String id;
    private final long created;
    private final String model;

    public LlamaCppFormat(Api api, String id, long created, String model) {
        this.api = api;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** A chat chunk up to its delta, which the caller appends before {@link #endChatChunk}. */
    private static StringBuilder startChatChunk(StringBuilder out, String finishReason) {
        out.append("data: {\"choices\":[{\"finish_reason\":");
        return (finishReason == null ? out.append("null") : Json.quote(out, finishReason)).append(",\"index\":0,\"delta\":");
    }

    private void endChatChunk(StringBuilder out) {
        tail(out.append("}]")).append("}\n\n");
    }

    private StringBuilder tail(StringBuilder out) {
        out.append(",\"created\":").append(created);
        Json.quote(out.append(",\"id\":"), id);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        return out.append(",\"object\":\"").append(api.chunkObject).append('"');
    }

    @Override
    public void roleChunk(StringBuilder out, Usage usage) {
        endChatChunk(startChatChunk(out, null).append("{\"role\":\"assistant\",\"content\":null}"));
    }

    @Override
    public void textChunk(StringBuilder out, CharSequence text, String finishReason, Usage usage) {
        if (api == Api.CHAT) {
            endChatChunk(Json.quote(startChatChunk(out, finishReason).append("{\"content\":"), text).append('}'));
            return;
        }
        // Completions: choices, created, model, system_fingerprint, object, then id last.
        Json.quote(out.append("data: {\"choices\":[{\"text\":"), text).append(",\"index\":0,\"logprobs\":null,\"finish_reason\":");
        (finishReason == null ? out.append("null") : Json.quote(out, finishReason)).append("}],\"created\":").append(created);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        out.append(",\"object\":\"").append(api.chunkObject).append('"');
        if (finishReason != null) {
            usage.appendLlamaCpp(out.append(",\"usage\":"));
        }
        Json.quote(out.append(",\"id\":"), id).append("}\n\n");
    }

    @Override
    public void finishChunk(StringBuilder out, String finishReason, Usage usage) {
        if (api == Api.CHAT) {
            endChatChunk(startChatChunk(out, finishReason).append("{}"));
        } else {
            textChunk(out, "", finishReason, usage);
        }
    }

    @Override
    public void usageChunk(StringBuilder out, Usage usage) {
        if (api == Api.COMPLETIONS) {
            return; // the completions finish chunk already carries usage
        }
        usage.appendLlamaCpp(tail(out.append("data: {\"choices\":[]")).append(",\"usage\":"));
        out.append("}\n\n");
    }

    @Override
    public String fullResponse(String text, String finishReason, Usage usage) {
        StringBuilder out = new StringBuilder(256).append("{\"choices\":[{\"finish_reason\":");
        Json.quote(out, finishReason).append(",\"index\":0,");
        if (api == Api.CHAT) {
            Json.quote(out.append("\"message\":{\"role\":\"assistant\",\"content\":"), text).append("}}]");
        } else {
            Json.quote(out.append("\"text\":"), text).append(",\"logprobs\":null}]");
        }
        out.append(",\"created\":").append(created);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        out.append(",\"object\":\"").append(api.fullObject).append('"');
        usage.appendLlamaCpp(out.append(",\"usage\":"));
        return Json.quote(out.append(",\"id\":"), id).append('}').toString();
    }
}
