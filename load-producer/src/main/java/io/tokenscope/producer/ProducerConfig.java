package io.tokenscope.producer;

import io.tokenscope.cli.Flags;
import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.producer.drive.Endpoint;
import io.tokenscope.producer.drive.RequestShape;
import io.tokenscope.producer.report.Baseline;
import io.tokenscope.producer.report.Slo;
import io.tokenscope.producer.scenario.RandomTexts;
import io.tokenscope.schemas.Rounds;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The producer's whole configuration, validated at start-up; every error names its flag. */
public record ProducerConfig(Endpoint endpoint, String api, String model, int requests, List<Integer> concurrencies,
                             int maxTokens, String scenario, int round, String runId, KafkaConnection kafka,
                             String topic, int partitions, String schemaRegistryUrl, long timeoutMs, long requestTimeoutMs, long seed, int warmupRequests,
                             String workload, String dataset, int n, int duplicate, int rounds, String outputDir,
                             double requestRate, double burstiness, boolean constantArrivals, Slo slo,
                             String metricsUrl, String cacheQueriesMetric, String cacheHitsMetric,
                             RequestShape shape, int instance, int instances, String baseline,
                             boolean resetPrefixCache, int realtimePriority, RandomTexts.Shape random,
                             List<Integer> inputLengths, int sweepRepeats, boolean scrapePerRequest,
                             long scrapeIntervalMs) {

    public static final String USAGE = """
            load-producer: fire streaming requests at an OpenAI-compatible endpoint, emit every token to Kafka
              (load-producer convert --input longbench:FILE --output OUT.jsonl writes a dataset as {"text": ...} lines)
              --endpoint URL            server base URL (default http://127.0.0.1:8000)
              --api chat|completions    which API to call (default chat)
              --model NAME              model id (default: the first one the server lists on /v1/models)
              --workload KIND           synthetic (--requests prompts of one review, --max-tokens each),
                                        one-long (one prompt of --n reviews, max_tokens n) or
                                        many-short (--n prompts of one review, max_tokens 1) (default synthetic)
              --dataset SRC             imdb:FILE.csv (review,sentiment), jsonl:FILE ({"text": ...}),
                                        longbench:FILE (LongBench rows; prompt = context, then input),
                                        random (--random-* lengths in tokens, as vLLM's bench serve) or
                                        synthetic (generated review-like text) (default synthetic)
              --random-input-len N      random: mean prompt length in tokens (default 1024)
              --random-output-len N     random: mean max_tokens (default 128)
              --random-range-ratio R    random: lengths uniform in [L*(1-R), L*(1+R)], 0 <= R < 1 (default 0)
              --random-prefix-len N     random: tokens of one prefix every prompt starts with (default 0)
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
              --input-lengths L [L ...] input-length sweep: for each L, TTFT of a shared context of L tokens plus a
                                        question, cold (prefix cache reset) and after a pre-warm request with the
                                        same context; one request at a time
              --sweep-repeats K         cold / pre-warm / warm K times per length; the table shows medians (default 3)
              --metrics-url URL         server Prometheus metrics, scraped around each round (default ENDPOINT/metrics)
              --scrape-interval-s S     also scrape it every S seconds during a round, so the aggregator's windows
                                        carry the server's own hit rate; 0 = only around rounds (default 5)
              --scrape-per-request true  also scrape /metrics before and after every request and store its server
                                        hit delta in the per-request rows (exact at concurrency 1; approximate
                                        when requests overlap) (default false)
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
              --kafka-properties FILE   Kafka client settings, e.g. security.protocol=SASL_SSL, sasl.*, ssl.*
              --topic NAME              telemetry topic (default tokenscope.telemetry)
              --partitions N            partitions when the topic is created (default 4)
              --schema-registry-url URL Confluent-compatible registry (default http://127.0.0.1:18081)
              --api-key KEY             sent as a bearer token (default: env OPENAI_API_KEY, if set); never printed
              --header NAME:VALUE       extra request header (repeatable)
              --temperature X  --top-p X  sampling settings sent with every request (default: server's)
              --continuous-usage true   ask for vLLM's continuous_usage_stats, so chunks carrying several tokens
                                        are counted exactly (OpenAI's API rejects it; default false)
              --max-input-length N      cut prompts to N characters, keeping the start and the instruction
              --instance I --instances K  this is producer I of K sharing one run id: it sends every K-th prompt
              --timeout-s N             give up on a request silent this long, comments aside (default 120)
              --request-timeout-s N     give up on a request still open this long, however busy its stream
                                        (default 3600)
              --realtime-priority P     run the timing event loop as SCHED_FIFO P (1-99; needs root or
                                        CAP_SYS_NICE): arrival times unaffected by a busy host (default off)
              --seed N                  seed for generated prompts (default 42)
              --warmup-requests N       requests sent first and not recorded, to warm the client's JIT,
                                        then a wait (up to 60 s) until its compiler is idle; their
                                        prompts share nothing with the workload's (default 0)
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
        if (requestTimeoutMs < 1) errors.add("--request-timeout-s must be > 0");
        // The round is stored as a 16-bit number.
        if (round > Rounds.MAX) errors.add("--round must be <= " + Rounds.MAX + ", got " + round);
        if (rounds > Rounds.MAX) errors.add("--rounds must be <= " + Rounds.MAX + ", got " + rounds);
        if (sweepRepeats > Rounds.MAX / 3) errors.add("--sweep-repeats must be <= " + Rounds.MAX / 3 + ", got " + sweepRepeats);
        if (instances < 1 || instance < 0 || instance >= instances) {
            errors.add("--instance must be 0.." + (instances - 1) + " for --instances " + instances + ", got " + instance);
        }
        if (realtimePriority < 0 || realtimePriority > 99) {
            errors.add("--realtime-priority must be 1..99, or 0 for off, got " + realtimePriority);
        }
        if (shape.maxInputChars() < 0) errors.add("--max-input-length must be >= 0");
        if (random.inputLen() < 1) errors.add("--random-input-len must be >= 1, got " + random.inputLen());
        if (random.outputLen() < 1) errors.add("--random-output-len must be >= 1, got " + random.outputLen());
        if (!(random.rangeRatio() >= 0 && random.rangeRatio() < 1)) {
            errors.add("--random-range-ratio must be >= 0 and < 1, got " + random.rangeRatio());
        }
        if (random.prefixLen() < 0) errors.add("--random-prefix-len must be >= 0, got " + random.prefixLen());
        if (dataset.equals("random") && !workload.equals("synthetic")) {
            errors.add("--dataset random makes its own prompts; it works with --workload synthetic, not '" + workload + "'");
        }
        if (inputLengths.stream().anyMatch(l -> l < 1)) errors.add("--input-lengths must all be >= 1, got " + inputLengths);
        // Each value names its own request ids and result files; a repeat would overwrite both.
        if (inputLengths.stream().distinct().count() < inputLengths.size()) {
            errors.add("--input-lengths lists a value twice: " + inputLengths);
        }
        if (concurrencies.stream().distinct().count() < concurrencies.size()) {
            errors.add("--concurrency lists a value twice: " + concurrencies);
        }
        if (sweepRepeats < 1) errors.add("--sweep-repeats must be >= 1, got " + sweepRepeats);
        if (!(scrapeIntervalMs >= 0)) errors.add("--scrape-interval-s must be >= 0, got " + scrapeIntervalMs / 1000.0);
        if (scrapePerRequest && requestRate > 0) {
            errors.add("--scrape-per-request scrapes between requests, so it needs a closed loop: drop --request-rate");
        }
        if (shape.temperature() != null && shape.temperature() < 0) errors.add("--temperature must be >= 0");
        if (shape.topP() != null && !(shape.topP() > 0 && shape.topP() <= 1)) errors.add("--top-p must be in (0, 1]");
        if (!workload.matches("synthetic|one-long|many-short")) {
            errors.add("--workload must be synthetic, one-long or many-short, got '" + workload + "'");
        }
        if (!dataset.matches("synthetic|random|(imdb|jsonl|longbench):.+")) {
            errors.add("--dataset must be imdb:FILE, jsonl:FILE, longbench:FILE, random or synthetic, got '" + dataset + "'");
        }
        if (n < 1) errors.add("--n must be >= 1, got " + n);
        if (duplicate < 1) errors.add("--duplicate must be >= 1, got " + duplicate);
        if (warmupRequests < 0) errors.add("--warmup-requests must be >= 0, got " + warmupRequests);
        if (scenario.isBlank()) errors.add("--scenario must not be empty");
        if (runId.isBlank()) errors.add("--run-id must not be empty");
        // The run id and scenario go into a request header (x-request-id), which refuses control
        // characters; all three are labels, and the aggregator dead-letters one holding U+001F.
        if (hasControlCharacter(scenario)) errors.add("--scenario must not hold control characters");
        if (hasControlCharacter(runId)) errors.add("--run-id must not hold control characters");
        if (model != null && hasControlCharacter(model)) errors.add("--model must not hold control characters");
        if (kafka.bootstrap().isBlank()) errors.add("--kafka-bootstrap must not be empty");
        if (topic.isBlank()) errors.add("--topic must not be empty");
        if (model != null && model.isBlank()) errors.add("--model must not be empty");
        if (!schemaRegistryUrl.startsWith("http://") && !schemaRegistryUrl.startsWith("https://")) {
            errors.add("--schema-registry-url must start with http:// or https://, got '" + schemaRegistryUrl + "'");
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static final Set<String> FLAGS = Set.of("--endpoint", "--api", "--model", "--requests", "--concurrency",
            "--reset-prefix-cache", "--rounds", "--output-dir", "--request-rate", "--slo", "--metrics-url", "--api-key",
            "--header", "--temperature", "--top-p", "--max-input-length", "--instance", "--instances", "--baseline",
            "--cache-metrics", "--burstiness", "--arrivals", "--max-tokens", "--scenario", "--round", "--run-id",
            "--kafka-bootstrap", "--topic", "--partitions", "--schema-registry-url", "--timeout-s", "--request-timeout-s", "--seed",
            "--warmup-requests", "--workload", "--dataset", "--n", "--duplicate", "--continuous-usage",
            "--realtime-priority", "--kafka-properties", "--random-input-len", "--random-output-len",
            "--random-range-ratio", "--random-prefix-len", "--input-lengths", "--sweep-repeats", "--scrape-per-request", "--scrape-interval-s");

    /** Flags that shape what an input-length sweep decides for itself. */
    private static final List<String> NOT_WITH_INPUT_LENGTHS = List.of("--workload", "--dataset", "--n", "--duplicate",
            "--requests", "--concurrency", "--rounds", "--round", "--request-rate", "--instance", "--instances",
            "--reset-prefix-cache");

    public static ProducerConfig parse(String[] args) {
        Flags f = Flags.parse(args, USAGE, FLAGS, Set.of("--concurrency", "--input-lengths"));
        List<Integer> inputLengths = new ArrayList<>();
        for (String v : f.all("--input-lengths")) {
            inputLengths.add(Flags.whole("--input-lengths", v));
        }
        if (!inputLengths.isEmpty()) {
            for (String other : NOT_WITH_INPUT_LENGTHS) {
                if (f.has(other)) {
                    throw new IllegalArgumentException("--input-lengths cannot be combined with " + other + ": the sweep "
                            + "sends one request at a time on generated contexts, resetting the prefix cache itself");
                }
            }
        }
        if (f.has("--sweep-repeats") && inputLengths.isEmpty()) {
            throw new IllegalArgumentException("--sweep-repeats repeats the --input-lengths sweep, which is not given");
        }
        String dataset = f.text("--dataset", "synthetic");
        for (String flag : List.of("--random-input-len", "--random-output-len", "--random-range-ratio",
                "--random-prefix-len")) {
            if (f.has(flag) && !dataset.equals("random")) {
                throw new IllegalArgumentException(flag + " shapes --dataset random, but the dataset is '" + dataset + "'");
            }
        }
        List<Integer> concurrencies = new ArrayList<>();
        for (String v : f.all("--concurrency")) {
            concurrencies.add(concurrencyFlag(v));
        }
        double requestRate = f.number("--request-rate", 0);
        if (!inputLengths.isEmpty()) {
            concurrencies.add(1);
        } else if (concurrencies.isEmpty()) {
            concurrencies.add(requestRate > 0 ? 0 : 4);
        }
        String arrivals = f.text("--arrivals", "poisson");
        if (!arrivals.equals("poisson") && !arrivals.equals("constant")) {
            throw new IllegalArgumentException("--arrivals must be poisson or constant, got '" + arrivals + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : f.all("--header")) {
            int colon = h.indexOf(':');
            if (colon < 1) throw new IllegalArgumentException("--header must be NAME:VALUE, got '" + h + "'");
            // A tab is allowed inside a header value; other control characters are not.
            if (hasControlCharacter(h.replace('\t', ' '))) {
                throw new IllegalArgumentException("--header must not hold control characters other than tab");
            }
            headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        String cacheQueries = null, cacheHits = null;
        if (f.has("--cache-metrics")) {
            String[] pair = f.text("--cache-metrics", "").split(",");
            if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
                throw new IllegalArgumentException("--cache-metrics must be QUERIES,HITS counter names, got '"
                        + f.text("--cache-metrics", "") + "'");
            }
            cacheQueries = pair[0].strip();
            cacheHits = pair[1].strip();
        }
        String baseline = f.text("--baseline", null);
        if (baseline != null) {
            Baseline.read(Path.of(baseline));
        }
        String workload = f.text("--workload", "synthetic");
        int duplicate = f.whole("--duplicate", 1);
        String scenario = f.text("--scenario", !inputLengths.isEmpty() ? "input-sweep"
                : workload + (duplicate > 1 ? "-x" + duplicate : ""));
        String runId = f.text("--run-id", null);
        if (runId == null) {
            runId = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        }
        Endpoint endpoint = Endpoint.parse(f.text("--endpoint", "http://127.0.0.1:8000"), "--endpoint");
        String metricsUrl = f.text("--metrics-url", endpoint.url().replaceAll("/v1$", "") + "/metrics");
        Endpoint.parse(metricsUrl, "--metrics-url");
        String outputDir = f.text("--output-dir", null);
        if (outputDir != null) {
            // Found out now, not after the run, when its results would have nowhere to go.
            try {
                java.nio.file.Files.createDirectories(Path.of(outputDir));
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("--output-dir " + outputDir + " cannot be created: " + e);
            }
        }
        RequestShape shape = RequestShape.of(f.text("--api-key", System.getenv("OPENAI_API_KEY")), headers,
                f.numberOrNull("--temperature"), f.numberOrNull("--top-p"), f.whole("--max-input-length", 0),
                f.bool("--continuous-usage", false));
        RandomTexts.Shape random = new RandomTexts.Shape(f.whole("--random-input-len", RandomTexts.Shape.DEFAULT.inputLen()),
                f.whole("--random-output-len", RandomTexts.Shape.DEFAULT.outputLen()),
                f.number("--random-range-ratio", RandomTexts.Shape.DEFAULT.rangeRatio()),
                f.whole("--random-prefix-len", RandomTexts.Shape.DEFAULT.prefixLen()));
        return new ProducerConfig(endpoint, f.text("--api", "chat"), f.text("--model", null), f.whole("--requests", 20),
                List.copyOf(concurrencies), f.whole("--max-tokens", 32), scenario, f.whole("--round", 1), runId,
                KafkaConnection.of(f.text("--kafka-bootstrap", "127.0.0.1:19092"), f.text("--kafka-properties", null),
                        "--kafka-properties"), f.text("--topic", "tokenscope.telemetry"),
                f.whole("--partitions", 4), f.text("--schema-registry-url", "http://127.0.0.1:18081"),
                f.whole("--timeout-s", 120) * 1000L, f.whole("--request-timeout-s", 3600) * 1000L, f.whole("--seed", 42), f.whole("--warmup-requests", 0), workload,
                dataset, f.whole("--n", 40), duplicate, f.whole("--rounds", 1),
                outputDir, requestRate, f.number("--burstiness", 1), arrivals.equals("constant"),
                f.has("--slo") ? Slo.read(Path.of(f.text("--slo", null))) : null, metricsUrl, cacheQueries, cacheHits,
                shape, f.whole("--instance", 0), f.whole("--instances", 1), baseline,
                f.bool("--reset-prefix-cache", false), f.whole("--realtime-priority", 0), random,
                List.copyOf(inputLengths), f.whole("--sweep-repeats", 3), f.bool("--scrape-per-request", false),
                Math.round(f.number("--scrape-interval-s", 5) * 1000));
    }

    public ProducerConfig withModel(String detected) {
        return new ProducerConfig(endpoint, api, detected, requests, concurrencies, maxTokens, scenario, round, runId,
                kafka, topic, partitions, schemaRegistryUrl, timeoutMs, requestTimeoutMs, seed, warmupRequests, workload, dataset,
                n, duplicate, rounds, outputDir, requestRate, burstiness, constantArrivals, slo,
                metricsUrl, cacheQueriesMetric, cacheHitsMetric, shape, instance, instances, baseline,
                resetPrefixCache, realtimePriority, random, inputLengths, sweepRepeats, scrapePerRequest,
                scrapeIntervalMs);
    }

    /** How a concurrency level is written on the command line, and so in every report. */
    public static String concurrencyLabel(int concurrency) {
        return concurrency == 0 ? "all" : Integer.toString(concurrency);
    }

    /** A concurrency level: a number >= 1, or "all" (kept as 0: every request at once, or no cap). */
    private static int concurrencyFlag(String v) {
        if (v.equals("all")) {
            return 0;
        }
        int c = Flags.whole("--concurrency", v);
        if (c < 1) {
            throw new IllegalArgumentException("--concurrency must be >= 1 or 'all', got " + c);
        }
        return c;
    }
}
