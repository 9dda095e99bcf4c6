package io.tokenscope.producer;

import io.tokenscope.producer.drive.Endpoint;
import io.tokenscope.producer.drive.RequestShape;
import io.tokenscope.producer.report.Slo;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The producer's whole configuration, validated at start-up; every error names its flag. */
public record ProducerConfig(Endpoint endpoint, String api, String model, int requests, List<Integer> concurrencies,
                             int maxTokens, String scenario, int round, String runId, String kafkaBootstrap,
                             String topic, int partitions, String schemaRegistryUrl, long timeoutMs, long seed, int warmupRequests,
                             String workload, String dataset, int n, int duplicate, int rounds, String outputDir,
                             double requestRate, double burstiness, boolean constantArrivals, Slo slo,
                             String metricsUrl, String cacheQueriesMetric, String cacheHitsMetric,
                             RequestShape shape, int instance, int instances, String baseline,
                             boolean resetPrefixCache) {

    public static final String USAGE = """
            load-producer: fire streaming requests at an OpenAI-compatible endpoint, emit every token to Kafka
              --endpoint URL            server base URL (default http://127.0.0.1:8000)
              --api chat|completions    which API to call (default chat)
              --model NAME              model id (default: the first one the server lists on /v1/models)
              --workload KIND           synthetic (--requests prompts of one review, --max-tokens each),
                                        one-long (one prompt of --n reviews, max_tokens n) or
                                        many-short (--n prompts of one review, max_tokens 1) (default synthetic)
              --dataset SRC             imdb:FILE.csv (review,sentiment), jsonl:FILE ({"text": ...}) or
                                        synthetic (generated review-like text) (default synthetic)
              --n N                     reviews used by one-long / many-short (default 40)
              --duplicate K             send the whole request list K times, round by round (default 1)
              --requests N              requests to send (default 20)
              --concurrency N [N ...]   requests kept in flight; several values sweep them; "all" sends every
                                        request at once (default 4)
              --rounds R                each concurrency level R times on the same prompts: 2 = dual round,
                                        cold then warm (default 1); levels get distinct prompts
              --request-rate R          open loop: R requests/s whatever the server does; each --concurrency
                                        value is then a cap on requests in flight (0 or none: no cap)
              --burstiness B            gamma shape of the gaps: 1 = Poisson, <1 burstier (default 1)
              --arrivals poisson|constant  gap distribution for --request-rate (default poisson)
              --slo FILE.yaml           goodput bounds: any of ttft_ms, itl_ms, tpot_ms, latency_ms
              --metrics-url URL         server Prometheus metrics, scraped around each round (default ENDPOINT/metrics)
              --cache-metrics Q,H       counter names of queried and hit prefix-cache tokens (default: vLLM v1's,
                                        then LMCache's)
              --reset-prefix-cache true  POST /reset_prefix_cache (vLLM's) before each level's first round,
                                        so every level starts cold (default false)
              --baseline DIR            print the % change against an earlier run's --output-dir
              --output-dir DIR          write concurrency_<c>_round_<r>.json and metrics_summary.csv there
              --max-tokens N            max_tokens per request (default 32)
              --scenario NAME           label stored with every event (default: the workload, with -xK)
              --round N                 round label, 1 = cold (default 1)
              --run-id ID               run id (default: run-<timestamp>-<random>)
              --kafka-bootstrap H:P     Kafka bootstrap servers (default 127.0.0.1:19092)
              --topic NAME              telemetry topic (default tokenscope.telemetry)
              --partitions N            partitions when the topic is created (default 4)
              --schema-registry-url URL Confluent-compatible registry (default http://127.0.0.1:18081)
              --api-key KEY             sent as a bearer token (default: env OPENAI_API_KEY, if set); never printed
              --header NAME:VALUE       extra request header (repeatable)
              --temperature X  --top-p X  sampling settings sent with every request (default: server's)
              --max-input-length N      cut prompts to N characters, keeping the start and the instruction
              --instance I --instances K  this is producer I of K sharing one run id: it sends every K-th prompt
              --timeout-s N             give up on a request silent this long (default 120)
              --seed N                  seed for generated prompts (default 42)
              --warmup-requests N       requests sent first and not recorded, to warm the client's JIT;
                                        their prompts share nothing with the workload's (default 0)
            """;

    public ProducerConfig {
        List<String> errors = new ArrayList<>();
        if (!api.equals("chat") && !api.equals("completions")) errors.add("--api must be chat or completions, got '" + api + "'");
        if (requests < 1) errors.add("--requests must be >= 1, got " + requests);
        if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(c -> c < 0)) {
            errors.add("--concurrency needs one or more values >= 1, got " + concurrencies);
        }
        if (rounds < 1) errors.add("--rounds must be >= 1, got " + rounds);
        if (requestRate < 0 || Double.isNaN(requestRate)) errors.add("--request-rate must be > 0, got " + requestRate);
        if (!(burstiness > 0)) errors.add("--burstiness must be > 0, got " + burstiness);
        if (maxTokens < 1) errors.add("--max-tokens must be >= 1, got " + maxTokens);
        if (round < 1) errors.add("--round must be >= 1, got " + round);
        if (partitions < 1) errors.add("--partitions must be >= 1, got " + partitions);
        if (timeoutMs < 1) errors.add("--timeout-s must be > 0");
        if (instances < 1 || instance < 0 || instance >= instances) {
            errors.add("--instance must be 0.." + (instances - 1) + " for --instances " + instances + ", got " + instance);
        }
        if (shape.maxInputChars() < 0) errors.add("--max-input-length must be >= 0");
        if (shape.temperature() != null && shape.temperature() < 0) errors.add("--temperature must be >= 0");
        if (shape.topP() != null && !(shape.topP() > 0 && shape.topP() <= 1)) errors.add("--top-p must be in (0, 1]");
        if (!workload.matches("synthetic|one-long|many-short")) {
            errors.add("--workload must be synthetic, one-long or many-short, got '" + workload + "'");
        }
        if (!dataset.equals("synthetic") && !dataset.matches("(imdb|jsonl):.+")) {
            errors.add("--dataset must be imdb:FILE, jsonl:FILE or synthetic, got '" + dataset + "'");
        }
        if (n < 1) errors.add("--n must be >= 1, got " + n);
        if (duplicate < 1) errors.add("--duplicate must be >= 1, got " + duplicate);
        if (warmupRequests < 0) errors.add("--warmup-requests must be >= 0, got " + warmupRequests);
        if (scenario.isBlank()) errors.add("--scenario must not be empty");
        if (runId.isBlank()) errors.add("--run-id must not be empty");
        if (kafkaBootstrap.isBlank()) errors.add("--kafka-bootstrap must not be empty");
        if (!schemaRegistryUrl.startsWith("http://") && !schemaRegistryUrl.startsWith("https://")) {
            errors.add("--schema-registry-url must start with http:// or https://, got '" + schemaRegistryUrl + "'");
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
    }

    public static ProducerConfig parse(String[] args) {
        String endpoint = "http://127.0.0.1:8000", api = "chat", model = null, scenario = null, runId = null;
        String workload = "synthetic", dataset = "synthetic";
        int n = 40, duplicate = 1;
        String bootstrap = "127.0.0.1:19092", topic = "tokenscope.telemetry", registry = "http://127.0.0.1:18081";
        int requests = 20, maxTokens = 32, round = 1, partitions = 4, warmup = 0, rounds = 1;
        List<Integer> concurrencies = new ArrayList<>();
        String outputDir = null;
        double requestRate = 0, burstiness = 1;
        boolean constantArrivals = false;
        Slo slo = null;
        String metricsUrl = null, cacheQueries = null, cacheHits = null;
        String apiKey = System.getenv("OPENAI_API_KEY");
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        Double temperature = null, topP = null;
        int maxInputChars = 0, instance = 0, instances = 1;
        String baseline = null;
        boolean resetPrefixCache = false;
        long timeoutS = 120, seed = 42;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException(USAGE);
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            switch (flag) {
                case "--endpoint" -> endpoint = v;
                case "--api" -> api = v;
                case "--model" -> model = v;
                case "--requests" -> requests = intFlag(flag, v);
                case "--concurrency" -> {
                    concurrencies.add(concurrencyFlag(v));
                    while (i + 1 < args.length && args[i + 1].matches("\\d+|all")) {
                        concurrencies.add(concurrencyFlag(args[++i]));
                    }
                }
                case "--reset-prefix-cache" -> resetPrefixCache = Boolean.parseBoolean(v);
                case "--rounds" -> rounds = intFlag(flag, v);
                case "--output-dir" -> outputDir = v;
                case "--request-rate" -> requestRate = doubleFlag(flag, v);
                case "--slo" -> slo = Slo.read(java.nio.file.Path.of(v));
                case "--metrics-url" -> metricsUrl = v;
                case "--api-key" -> apiKey = v;
                case "--header" -> {
                    int colon = v.indexOf(':');
                    if (colon < 1) throw new IllegalArgumentException("--header must be NAME:VALUE, got '" + v + "'");
                    headers.put(v.substring(0, colon).strip(), v.substring(colon + 1).strip());
                }
                case "--temperature" -> temperature = doubleFlag(flag, v);
                case "--top-p" -> topP = doubleFlag(flag, v);
                case "--max-input-length" -> maxInputChars = intFlag(flag, v);
                case "--instance" -> instance = intFlag(flag, v);
                case "--instances" -> instances = intFlag(flag, v);
                case "--baseline" -> {
                    io.tokenscope.producer.report.Baseline.read(java.nio.file.Path.of(v));
                    baseline = v;
                }
                case "--cache-metrics" -> {
                    String[] pair = v.split(",");
                    if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
                        throw new IllegalArgumentException("--cache-metrics must be QUERIES,HITS counter names, got '" + v + "'");
                    }
                    cacheQueries = pair[0].strip();
                    cacheHits = pair[1].strip();
                }
                case "--burstiness" -> burstiness = doubleFlag(flag, v);
                case "--arrivals" -> {
                    if (!v.equals("poisson") && !v.equals("constant")) {
                        throw new IllegalArgumentException("--arrivals must be poisson or constant, got '" + v + "'");
                    }
                    constantArrivals = v.equals("constant");
                }
                case "--max-tokens" -> maxTokens = intFlag(flag, v);
                case "--scenario" -> scenario = v;
                case "--round" -> round = intFlag(flag, v);
                case "--run-id" -> runId = v;
                case "--kafka-bootstrap" -> bootstrap = v;
                case "--topic" -> topic = v;
                case "--partitions" -> partitions = intFlag(flag, v);
                case "--schema-registry-url" -> registry = v;
                case "--timeout-s" -> timeoutS = intFlag(flag, v);
                case "--seed" -> seed = intFlag(flag, v);
                case "--warmup-requests" -> warmup = intFlag(flag, v);
                case "--workload" -> workload = v;
                case "--dataset" -> dataset = v;
                case "--n" -> n = intFlag(flag, v);
                case "--duplicate" -> duplicate = intFlag(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
            }
        }
        if (concurrencies.isEmpty()) {
            concurrencies.add(requestRate > 0 ? 0 : 4);
        }
        if (scenario == null) {
            scenario = workload + (duplicate > 1 ? "-x" + duplicate : "");
        }
        if (runId == null) {
            runId = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        }
        Endpoint parsedEndpoint = Endpoint.parse(endpoint, "--endpoint");
        if (metricsUrl == null) {
            metricsUrl = parsedEndpoint.url().replaceAll("/v1$", "") + "/metrics";
        }
        return new ProducerConfig(parsedEndpoint, api, model, requests, List.copyOf(concurrencies),
                maxTokens, scenario, round, runId, bootstrap, topic, partitions, registry, timeoutS * 1000, seed, warmup,
                workload, dataset, n, duplicate, rounds, outputDir, requestRate, burstiness, constantArrivals, slo,
                metricsUrl, cacheQueries, cacheHits, RequestShape.of(apiKey, headers, temperature, topP, maxInputChars),
                instance, instances, baseline, resetPrefixCache);
    }

    public ProducerConfig withModel(String detected) {
        return new ProducerConfig(endpoint, api, detected, requests, concurrencies, maxTokens, scenario, round, runId,
                kafkaBootstrap, topic, partitions, schemaRegistryUrl, timeoutMs, seed, warmupRequests, workload, dataset,
                n, duplicate, rounds, outputDir, requestRate, burstiness, constantArrivals, slo,
                metricsUrl, cacheQueriesMetric, cacheHitsMetric, shape, instance, instances, baseline,
                resetPrefixCache);
    }

    /** A concurrency level: a number >= 1, or "all" (kept as 0: every request at once, or no cap). */
    private static int concurrencyFlag(String v) {
        if (v.equals("all")) {
            return 0;
        }
        int c = intFlag("--concurrency", v);
        if (c < 1) {
            throw new IllegalArgumentException("--concurrency must be >= 1 or 'all', got " + c);
        }
        return c;
    }

    private static double doubleFlag(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
    }

    private static int intFlag(String flag, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + v + "'");
        }
    }
}
