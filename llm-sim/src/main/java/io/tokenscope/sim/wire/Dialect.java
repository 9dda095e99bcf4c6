package io.tokenscope.sim.wire;

/**
 * Whose payloads the simulator speaks: chunk shapes, HTTP error bodies and the in-stream error
 * event, each as that server's source writes them. Framing (spaces, CRLF, comments) is
 * {@link WireStyle}'s.
 */
public enum Dialect {
    /**
     * vLLM (entrypoints/openai): errors are {"error":{message,type,param,code}}. An engine failure
     * (EngineDeadError, EngineGenerateError, RuntimeError) is a 500 with an empty body. Its only
     * 503 is the scaling middleware's {"error": "..."} string. It never sends 429; a gateway in
     * front does, and the simulator answers it in vLLM's usual shape. In a stream, the error is
     * Python's json.dumps of the same body, so with spaces after ':' and ','.
     */
    VLLM,
    /** SGLang: vLLM's chunks, and the older vLLM error body {object:"error",message,type,param,code}. */
    SGLANG,
    /** llama.cpp server: {"error":{code,message,type}} with OpenAI-style type names. */
    LLAMA_CPP,
    /**
     * TGI: {"error": "...", "error_type": "..."}; bad input is 422 (validation), a failure during
     * generation 424, an overloaded queue 429, an incomplete generation 500; 503 only from /health.
     * In a stream: {"error":{"message":...,"http_status_code":422}}.
     */
    TGI;

    /** An HTTP error response: status and body (empty where the server sends none). */
    public record HttpError(int status, String body) {}

    /** What a request's stream_options ask for, as this server reads them. */
    public record UsageAsked(boolean include, boolean continuous) {}

    /**
     * vLLM: include_usage defaults to true once stream_options is there at all, and
     * continuous_usage_stats counts only with include_usage (should_include_usage in its
     * api_utils). SGLang: continuous_usage_stats stands alone. The others have no continuous usage.
     */
    public UsageAsked usageAsked(StreamOptions options) {
        boolean include = options.includeUsage() != null ? options.includeUsage() : this == VLLM && options.given();
        boolean continuous = switch (this) {
            case VLLM -> include && options.continuousUsageStats();
            case SGLANG -> options.continuousUsageStats();
            case LLAMA_CPP, TGI -> false;
        };
        return new UsageAsked(include, continuous);
    }

    /**
     * cacheReport: the server was started with vLLM's --enable-prompt-tokens-details or
     * SGLang's --enable-cache-report. llama.cpp always reports cached tokens, TGI never.
     */
    public ChunkFormat chunks(Api api, String id, long created, String model, boolean continuousUsage,
                              boolean cacheReport) {
        return switch (this) {
            case VLLM -> new VllmFormat(api, id, created, model, continuousUsage, continuousUsage,
                    cacheReport ? CacheReport.ALWAYS : CacheReport.OFF);
            case SGLANG -> new VllmFormat(api, id, created, model, continuousUsage, false,
                    cacheReport ? CacheReport.WHEN_CACHED : CacheReport.OFF);
            case LLAMA_CPP -> new LlamaCppFormat(api, id, created, model);
            case TGI -> new TgiFormat(api, created, model);
        };
    }

    /** The answer to a request refused with this status (400, 404, 422, 424, 429, 500, 503). */
    public HttpError httpError(int status, String message) {
        return switch (this) {
            case VLLM -> switch (status) {
                case 500 -> new HttpError(500, "");
                case 503 -> new HttpError(503, "{\"error\":\"The model is currently scaling. Please try again later.\"}");
                default -> new HttpError(status, vllm(message, vllmType(status), status, ",", ":"));
            };
            case SGLANG -> new HttpError(status, sglang(message, vllmType(status), status, ",", ":"));
            case LLAMA_CPP -> new HttpError(status, "{\"error\":" + llamaCpp(message, status) + "}");
            case TGI -> switch (status) {
                case 400, 422 -> tgi(422, "Input validation error: " + message, "validation");
                case 424 -> tgi(424, "Request failed during generation: " + message, "generation");
                case 429 -> tgi(429, "Model is overloaded", "overloaded");
                case 503 -> tgi(503, "unhealthy", "healthcheck");
                default -> tgi(status, "Incomplete generation", "incomplete_generation");
            };
        };
    }

    /** The SSE event of an engine failure after the stream has started (status 200 already sent). */
    public String errorEvent(String message) {
        return switch (this) {
            case VLLM -> "data: " + vllm(message, "InternalServerError", 500, ", ", ": ") + "\n\n";
            case SGLANG -> "data: {\"error\": " + sglang(message, "InternalServerError", 500, ", ", ": ") + "}\n\n";
            case LLAMA_CPP -> "data: {\"error\":" + llamaCpp(message, 500) + "}\n\n";
            case TGI -> "data: {\"error\":{\"message\":" + quote("Request failed during generation: " + message)
                    + ",\"http_status_code\":422}}\n\n";
        };
    }

    private static String vllmType(int status) {
        return switch (status) {
            case 400, 422 -> "BadRequestError";
            case 404 -> "NotFoundError";
            case 429 -> "RateLimitError";
            default -> "InternalServerError";
        };
    }

    /** ErrorResponse{error: ErrorInfo{message, type, param, code}} with the given separators. */
    private static String vllm(String message, String type, int code, String comma, String colon) {
        return "{\"error\"" + colon + "{\"message\"" + colon + quote(message) + comma + "\"type\"" + colon + quote(type)
                + comma + "\"param\"" + colon + "null" + comma + "\"code\"" + colon + code + "}}";
    }

    private static String sglang(String message, String type, int code, String comma, String colon) {
        return "{\"object\"" + colon + "\"error\"" + comma + "\"message\"" + colon + quote(message) + comma + "\"type\""
                + colon + quote(type) + comma + "\"param\"" + colon + "null" + comma + "\"code\"" + colon + code + "}";
    }

    private static String llamaCpp(String message, int code) {
        String type = switch (code) {
            case 400, 422 -> "invalid_request_error";
            case 404 -> "not_found_error";
            case 429, 503 -> "unavailable_error";
            default -> "server_error";
        };
        return "{\"code\":" + code + ",\"message\":" + quote(message) + ",\"type\":\"" + type + "\"}";
    }

    private static HttpError tgi(int status, String error, String type) {
        return new HttpError(status, "{\"error\":" + quote(error) + ",\"error_type\":\"" + type + "\"}");
    }

    private static String quote(String s) {
        return Json.quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
