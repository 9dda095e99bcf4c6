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

    private StringBuilder chatChunk(String finishReason, String delta) {
        StringBuilder out = new StringBuilder(224).append("data: {\"choices\":[{\"finish_reason\":");
        (finishReason == null ? out.append("null") : Json.quote(out, finishReason)).append(",\"index\":0,\"delta\":")
                .append(delta).append("}]");
        return tail(out);
    }

    private StringBuilder tail(StringBuilder out) {
        out.append(",\"created\":").append(created);
        Json.quote(out.append(",\"id\":"), id);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        return out.append(",\"object\":\"").append(api.chunkObject).append('"');
    }

    @Override
    public String roleChunk() {
        return chatChunk(null, "{\"role\":\"assistant\",\"content\":null}").append("}\n\n").toString();
    }

    @Override
    public String textChunk(String text, String finishReason, Usage usage) {
        if (api == Api.CHAT) {
            return chatChunk(finishReason, Json.quote(new StringBuilder("{\"content\":"), text).append('}').toString())
                    .append("}\n\n").toString();
        }
        // Completions: choices, created, model, system_fingerprint, object, then id last.
        StringBuilder out = new StringBuilder(224);
        Json.quote(out.append("data: {\"choices\":[{\"text\":"), text).append(",\"index\":0,\"logprobs\":null,\"finish_reason\":");
        (finishReason == null ? out.append("null") : Json.quote(out, finishReason)).append("}],\"created\":").append(created);
        Json.quote(out.append(",\"model\":"), model);
        Json.quote(out.append(",\"system_fingerprint\":"), FINGERPRINT);
        out.append(",\"object\":\"").append(api.chunkObject).append('"');
        if (finishReason != null) {
            usage.appendLlamaCpp(out.append(",\"usage\":"));
        }
        return Json.quote(out.append(",\"id\":"), id).append("}\n\n").toString();
    }

    @Override
    public String finishChunk(String finishReason, Usage usage) {
        if (api == Api.CHAT) {
            return chatChunk(finishReason, "{}").append("}\n\n").toString();
        }
        return textChunk("", finishReason, usage);
    }

    @Override
    public String usageChunk(Usage usage) {
        if (api == Api.COMPLETIONS) {
            return ""; // the completions finish chunk already carries usage
        }
        StringBuilder out = tail(new StringBuilder(224).append("data: {\"choices\":[]"));
        usage.appendLlamaCpp(out.append(",\"usage\":"));
        return out.append("}\n\n").toString();
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
