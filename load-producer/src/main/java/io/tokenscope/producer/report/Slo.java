package io.tokenscope.producer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokenscope.producer.drive.RequestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Service-level objectives for goodput, from a YAML file with any of ttft_ms, itl_ms, tpot_ms,
 * latency_ms. A request is good when it succeeded and meets every bound given: TTFT, its mean
 * gap between chunks, its TPOT and its end-to-end latency.
 */
public record Slo(Double ttftMs, Double itlMs, Double tpotMs, Double latencyMs) {
    private static final Set<String> KEYS = Set.of("ttft_ms", "itl_ms", "tpot_ms", "latency_ms");

    public static Slo read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--slo " + file + " is not readable YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("--slo " + file + " must map some of " + KEYS + " to milliseconds");
        }
        Double[] v = new Double[4];
        String[] order = {"ttft_ms", "itl_ms", "tpot_ms", "latency_ms"};
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("--slo " + file + ": unknown key '" + e.getKey() + "' (known: "
                        + String.join(", ", order) + ")");
            }
            if (!e.getValue().isNumber() || e.getValue().asDouble() <= 0) {
                throw new IllegalArgumentException("--slo " + file + ": '" + e.getKey() + "' must be a number of "
                        + "milliseconds > 0, got " + e.getValue());
            }
            v[java.util.Arrays.asList(order).indexOf(e.getKey())] = e.getValue().asDouble();
        }
        return new Slo(v[0], v[1], v[2], v[3]);
    }

    public boolean met(RequestResult r) {
        if (!r.ok()) {
            return false;
        }
        // TTFT and latency from the intended start: a request an open loop held back met its SLO
        // only if the wait did not use it up. In a closed loop the lag is 0.
        double lagMs = r.scheduleLagNs() / 1e6;
        if (ttftMs != null && (r.ttftNs() < 0 || r.ttftNs() / 1e6 + lagMs > ttftMs)) {
            return false;
        }
        long gapSum = 0;
        for (long g : r.gapsNs()) gapSum += g;
        if (itlMs != null && r.gapsNs().length > 0 && gapSum / 1e6 / r.gapsNs().length > itlMs) {
            return false;
        }
        int tokens = r.effectiveOutputTokens();
        if (tpotMs != null && tokens > 1 && gapSum / 1e6 / (tokens - 1) > tpotMs) {
            return false;
        }
        return latencyMs == null || r.endNs() / 1e6 + lagMs <= latencyMs;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (ttftMs != null) s.append("TTFT<=").append(ttftMs).append("ms ");
        if (itlMs != null) s.append("ITL<=").append(itlMs).append("ms ");
        if (tpotMs != null) s.append("TPOT<=").append(tpotMs).append("ms ");
        if (latencyMs != null) s.append("E2E<=").append(latencyMs).append("ms ");
        return s.toString().strip();
    }
}
