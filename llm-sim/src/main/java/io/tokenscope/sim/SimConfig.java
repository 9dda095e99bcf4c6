package io.tokenscope.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the simulator is told at start-up, validated once. Errors name the flag.
 *
 * @param outputTokens tokens generated per request; 0 means "as many as max_tokens asks for"
 */
public record SimConfig(String host, int port, String model, double ttftMs, double itlMs, int outputTokens,
                        int defaultMaxTokens, int eventLoops) {

    public static final String USAGE = """
            llm-sim: an OpenAI-compatible streaming endpoint simulator (vLLM wire format)
              --host H              listen address (default 127.0.0.1)
              --port N              listen port (default 8000; 0 picks a free one)
              --model NAME          model id served on /v1/models (default sim-llama-8b)
              --ttft-ms X           time to first token in ms (default 50)
              --itl-ms X            time between tokens in ms (default 10)
              --output-tokens N     tokens per response; 0 = what max_tokens asks (default 0)
              --default-max-tokens N  when a request gives no max_tokens (default 64)
              --event-loops N       I/O threads (default: cores)
            """;

    public SimConfig {
        List<String> errors = new ArrayList<>();
        if (port < 0 || port > 65535) errors.add("--port must be 0..65535, got " + port);
        if (model == null || model.isBlank()) errors.add("--model must not be empty");
        if (!(ttftMs >= 0)) errors.add("--ttft-ms must be >= 0, got " + ttftMs);
        if (!(itlMs >= 0)) errors.add("--itl-ms must be >= 0, got " + itlMs);
        if (outputTokens < 0) errors.add("--output-tokens must be >= 0, got " + outputTokens);
        if (defaultMaxTokens < 1) errors.add("--default-max-tokens must be >= 1, got " + defaultMaxTokens);
        if (eventLoops < 1) errors.add("--event-loops must be >= 1, got " + eventLoops);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
    }

    public static SimConfig defaults() {
        return new SimConfig("127.0.0.1", 8000, "sim-llama-8b", 50, 10, 0, 64,
                Runtime.getRuntime().availableProcessors());
    }

    public SimConfig withPort(int newPort) {
        return new SimConfig(host, newPort, model, ttftMs, itlMs, outputTokens, defaultMaxTokens, eventLoops);
    }

    public static SimConfig parse(String[] args) {
        SimConfig d = defaults();
        String host = d.host, model = d.model;
        int port = d.port, outputTokens = d.outputTokens, defaultMaxTokens = d.defaultMaxTokens, loops = d.eventLoops;
        double ttft = d.ttftMs, itl = d.itlMs;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            switch (flag) {
                case "--host" -> host = v;
                case "--port" -> port = intFlag(flag, v);
                case "--model" -> model = v;
                case "--ttft-ms" -> ttft = doubleFlag(flag, v);
                case "--itl-ms" -> itl = doubleFlag(flag, v);
                case "--output-tokens" -> outputTokens = intFlag(flag, v);
                case "--default-max-tokens" -> defaultMaxTokens = intFlag(flag, v);
                case "--event-loops" -> loops = intFlag(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
            }
        }
        return new SimConfig(host, port, model, ttft, itl, outputTokens, defaultMaxTokens, loops);
    }

    private static int intFlag(String flag, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + v + "'");
        }
    }

    private static double doubleFlag(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
    }
}
