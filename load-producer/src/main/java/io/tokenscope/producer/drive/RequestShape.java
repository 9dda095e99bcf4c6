package io.tokenscope.producer.drive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every request of a run carries besides its prompt: extra headers (the API key goes in
 * as a bearer token), sampling settings, a cap on prompt length in characters (a longer
 * prompt keeps its start and its last 200 characters, where the instruction is), and whether
 * to ask for vLLM's continuous usage stats, which tell how many tokens each chunk carried.
 */
public record RequestShape(Map<String, String> headers, Double temperature, Double topP, int maxInputChars,
                           boolean continuousUsage) {
    public static final RequestShape DEFAULT = new RequestShape(Map.of(), null, null, 0, false);

    public RequestShape {
        headers = Map.copyOf(headers);
    }

    public static RequestShape of(String apiKey, Map<String, String> headers, Double temperature, Double topP,
                                  int maxInputChars, boolean continuousUsage) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (apiKey != null && !apiKey.isEmpty()) {
            all.put("authorization", "Bearer " + apiKey);
        }
        return new RequestShape(all, temperature, topP, maxInputChars, continuousUsage);
    }

    public RequestShape withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new RequestShape(all, temperature, topP, maxInputChars, continuousUsage);
    }

    String truncate(String prompt) {
        if (maxInputChars <= 0 || prompt.length() <= maxInputChars) {
            return prompt;
        }
        int tail = Math.min(200, maxInputChars / 4);
        return prompt.substring(0, maxInputChars - tail) + prompt.substring(prompt.length() - tail);
    }

    /** For logs and reports: header names only, so no secret is ever printed. */
    @Override
    public String toString() {
        return "RequestShape[headers=" + headers.keySet() + ", temperature=" + temperature + ", topP=" + topP
                + ", maxInputChars=" + maxInputChars + ", continuousUsage=" + continuousUsage + "]";
    }
}
