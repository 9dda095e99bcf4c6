package io.tokenscope.producer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.scenario.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a command line can be wrong, each answered by a message that names what to fix:
 * the flag, or the dataset's file, line and column or field. Dataset problems are found the
 * way a run finds them, by planning the run, before anything connects anywhere.
 */
class CliErrorsTest {
    private static Arguments bad(String expected, String... args) {
        return Arguments.of(expected, args);
    }

    static Stream<Arguments> badFlags() {
        List<Arguments> cases = new ArrayList<>(List.of(
                bad("unknown flag --nope", "--nope", "1"),
                bad("--requests needs a value", "--requests"),
                bad("--requests must be >= 1, got 0", "--requests", "0"),
                bad("--concurrency must be >= 1 or 'all', got 0", "--concurrency", "0"),
                bad("--concurrency must be a whole number, got 'many'", "--concurrency", "2", "many"),
                bad("--rounds must be >= 1, got 0", "--rounds", "0"),
                bad("--request-rate must be > 0, got -1.0", "--request-rate", "-1"),
                bad("--burstiness must be > 0, got 0.0", "--burstiness", "0"),
                bad("--arrivals must be poisson or constant, got 'bursty'", "--arrivals", "bursty"),
                bad("--max-tokens must be >= 1, got 0", "--max-tokens", "0"),
                bad("--round must be >= 1, got 0", "--round", "0"),
                bad("--partitions must be >= 1, got 0", "--partitions", "0"),
                bad("--timeout-s must be > 0", "--timeout-s", "0"),
                bad("--request-timeout-s must be > 0", "--request-timeout-s", "0"),
                bad("--round must be <= 65535, got 65536", "--round", "65536"),
                bad("--rounds must be <= 65535, got 70000", "--rounds", "70000"),
                bad("--instance must be 0..1 for --instances 2, got 2", "--instance", "2", "--instances", "2"),
                bad("--instance must be 0..-1 for --instances 0", "--instances", "0"),
                bad("--realtime-priority must be 1..99, or 0 for off, got 100", "--realtime-priority", "100"),
                bad("--max-input-length must be >= 0", "--max-input-length", "-1"),
                bad("--temperature must be >= 0", "--temperature", "-0.5"),
                bad("--top-p must be in (0, 1]", "--top-p", "1.5"),
                bad("--top-p must be in (0, 1]", "--top-p", "0"),
                bad("--n must be >= 1, got 0", "--n", "0"),
                bad("--duplicate must be >= 1, got 0", "--duplicate", "0"),
                bad("--warmup-requests must be >= 0, got -1", "--warmup-requests", "-1"),
                bad("--api must be chat or completions, got 'embeddings'", "--api", "embeddings"),
                bad("--workload must be synthetic, one-long or many-short, got 'long'", "--workload", "long"),
                bad("--dataset must be imdb:FILE, jsonl:FILE, longbench:FILE, random or synthetic, got 'csv:x'",
                        "--dataset", "csv:x"),
                bad("--dataset must be", "--dataset", "longbench:"),
                bad("--header must be NAME:VALUE, got 'novalue'", "--header", "novalue"),
                bad("--cache-metrics must be QUERIES,HITS counter names, got 'only_one'", "--cache-metrics", "only_one"),
                bad("--endpoint must start with http:// or https://, got 'ftp://x'", "--endpoint", "ftp://x"),
                bad("--endpoint is not a URL: 'http://'", "--endpoint", "http://"),
                bad("--endpoint has no host: 'http:///v1'", "--endpoint", "http:///v1"),
                bad("--metrics-url must start with http:// or https://, got 'localhost:8000'", "--metrics-url",
                        "localhost:8000"),
                bad("--schema-registry-url must start with http:// or https://, got 'registry'", "--schema-registry-url",
                        "registry"),
                bad("--scenario must not be empty", "--scenario", " "),
                bad("--run-id must not be empty", "--run-id", ""),
                bad("--run-id must not hold control characters", "--run-id", "a\nb"),
                bad("--scenario must not hold control characters", "--scenario", "a\u001bb"),
                bad("--model must not hold control characters", "--model", "m\u001f1"),
                bad("--header must not hold control characters other than tab", "--header", "x-a: b\u000bc"),
                bad("--kafka-bootstrap must not be empty", "--kafka-bootstrap", ""),
                bad("--topic must not be empty", "--topic", ""),
                bad("--model must not be empty", "--model", ""),
                bad("--baseline: cannot read /nonexistent/run/metrics_summary.csv", "--baseline", "/nonexistent/run/metrics_summary.csv"),
                bad("--output-dir /dev/null/results cannot be created", "--output-dir", "/dev/null/results"),
                bad("--random-input-len must be >= 1, got 0", "--dataset", "random", "--random-input-len", "0"),
                bad("--random-output-len must be >= 1, got 0", "--dataset", "random", "--random-output-len", "0"),
                bad("--random-range-ratio must be >= 0 and < 1, got 1.0", "--dataset", "random", "--random-range-ratio", "1"),
                bad("--random-range-ratio must be >= 0 and < 1, got -0.1", "--dataset", "random", "--random-range-ratio",
                        "-0.1"),
                bad("--random-prefix-len must be >= 0, got -1", "--dataset", "random", "--random-prefix-len", "-1"),
                bad("--random-input-len shapes --dataset random, but the dataset is 'synthetic'", "--random-input-len", "5"),
                bad("--dataset random makes its own prompts; it works with --workload synthetic, not 'one-long'",
                        "--dataset", "random", "--workload", "one-long"),
                bad("--input-lengths must all be >= 1, got [64, 0]", "--input-lengths", "64", "0"),
                bad("--input-lengths lists a value twice: [64, 512, 64]", "--input-lengths", "64", "512", "64"),
                bad("--concurrency lists a value twice: [4, 4]", "--concurrency", "4", "4"),
                bad("--burstiness must be a finite number, got 'Infinity'", "--request-rate", "10", "--burstiness",
                        "Infinity"),
                bad("--temperature must be a finite number, got 'NaN'", "--temperature", "NaN"),
                bad("--api-key needs a value", "--api-key", "--max-tokens", "4"),
                bad("--input-lengths cannot be combined with --concurrency", "--input-lengths", "64", "--concurrency", "2"),
                bad("--input-lengths cannot be combined with --rounds", "--rounds", "2", "--input-lengths", "64"),
                bad("--sweep-repeats must be >= 1, got 0", "--input-lengths", "64", "--sweep-repeats", "0"),
                bad("--sweep-repeats must be a whole number, got 'x1'", "--input-lengths", "64", "--sweep-repeats", "x1"),
                bad("--sweep-repeats repeats the --input-lengths sweep, which is not given", "--sweep-repeats", "2"),
                bad("--scrape-per-request scrapes between requests, so it needs a closed loop: drop --request-rate",
                        "--scrape-per-request", "true", "--request-rate", "5")));
        for (String flag : List.of("--requests", "--max-tokens", "--round", "--partitions", "--timeout-s", "--seed",
                "--warmup-requests", "--n", "--duplicate", "--rounds", "--instance", "--instances", "--max-input-length",
                "--realtime-priority", "--input-lengths")) {
            cases.add(bad(flag + " must be a whole number, got 'x1'", flag, "x1"));
        }
        for (String flag : List.of("--random-input-len", "--random-output-len", "--random-prefix-len")) {
            cases.add(bad(flag + " must be a whole number, got '1.5'", "--dataset", "random", flag, "1.5"));
        }
        for (String flag : List.of("--request-rate", "--burstiness", "--temperature", "--top-p")) {
            cases.add(bad(flag + " must be a number, got 'fast'", flag, "fast"));
        }
        cases.add(bad("--random-range-ratio must be a number, got 'half'", "--dataset", "random", "--random-range-ratio",
                "half"));
        for (String flag : List.of("--reset-prefix-cache", "--continuous-usage", "--scrape-per-request")) {
            cases.add(bad(flag + " must be true or false, got 'yes'", flag, "yes"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFlags")
    void badFlagValuesNameTheFlag(String expected, String[] args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProducerConfig.parse(args));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static Path file(String name, String content) throws Exception {
        Path p = Files.createTempDirectory("cli-errors").resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static Stream<Arguments> badDatasets() throws Exception {
        String lb = "\"answers\": [\"a\"], \"length\": 3, \"dataset\": \"hotpotqa\", \"language\": \"en\", "
                + "\"all_classes\": null, \"_id\": \"x\"";
        Path imdbSentiment = file("imdb.csv", "review,sentiment\n\"Great film\",positive\n\"Dull\",meh\n");
        Path imdbColumns = file("imdb.csv", "review,sentiment\n\"Great film\",positive,extra\n");
        Path imdbHeader = file("imdb.csv", "text,label\n\"Great film\",positive\n");
        Path jsonlSyntax = file("texts.jsonl", "{\"text\": \"one\"}\n{\"text\": \"two\",,}\n");
        Path jsonlField = file("texts.jsonl", "{\"text\": \"one\"}\n\n{\"body\": \"two\"}\n");
        Path jsonlType = file("texts.jsonl", "{\"text\": [\"one\"]}\n");
        Path lbSyntax = file("lb.jsonl", "{\"input\": \"q\", \"context\": \"c\", " + lb + "}\n{\"input\": \"q\" \"context\": 1}\n");
        Path lbField = file("lb.jsonl", "{\"input\": \"q\", \"context\": \"c\", " + lb + "}\n{\"input\": \"q\", " + lb + "}\n");
        Path lbType = file("lb.jsonl", "{\"input\": \"q\", \"context\": \"c\", \"answers\": [], \"length\": \"long\"}\n");
        Path lbEmpty = file("lb.jsonl", "{\"input\": \" \", \"context\": \"\"}\n");
        Path short1 = file("texts.jsonl", "{\"text\": \"one\"}\n");
        return Stream.of(
                Arguments.of("/nonexistent/imdb.csv: cannot read the IMDB CSV", new String[] {"--dataset",
                    "imdb:/nonexistent/imdb.csv", "--workload", "many-short", "--n", "1"}),
                Arguments.of("/nonexistent/t.jsonl: cannot read the JSONL dataset", new String[] {"--dataset",
                    "jsonl:/nonexistent/t.jsonl", "--requests", "1"}),
                Arguments.of("/nonexistent/lb.jsonl: cannot read the LongBench file", new String[] {"--dataset",
                    "longbench:/nonexistent/lb.jsonl", "--requests", "1"}),
                Arguments.of(imdbSentiment + ":3: column 'sentiment' must be positive or negative, got 'meh'",
                        new String[] {"--dataset", "imdb:" + imdbSentiment, "--workload", "many-short", "--n", "2"}),
                Arguments.of(imdbColumns + ":2: expected 2 columns, found 3", new String[] {"--dataset", "imdb:" + imdbColumns,
                    "--requests", "1"}),
                Arguments.of(imdbHeader + ":1: header must name columns 'review' and 'sentiment'",
                        new String[] {"--dataset", "imdb:" + imdbHeader, "--requests", "1"}),
                Arguments.of(jsonlSyntax + ":2: not a JSON object at column 16", new String[] {"--dataset",
                    "jsonl:" + jsonlSyntax, "--requests", "2"}),
                Arguments.of(jsonlField + ":3: field 'text' is missing", new String[] {"--dataset", "jsonl:" + jsonlField,
                    "--requests", "2"}),
                Arguments.of(jsonlType + ":1: field 'text' must be a string, got array", new String[] {"--dataset",
                    "jsonl:" + jsonlType, "--requests", "1"}),
                Arguments.of(lbSyntax + ":2: not a JSON object at column 15", new String[] {"--dataset",
                    "longbench:" + lbSyntax, "--requests", "2"}),
                Arguments.of(lbField + ":2: field 'context' is missing", new String[] {"--dataset", "longbench:" + lbField,
                    "--requests", "2"}),
                Arguments.of(lbType + ":1: field 'length' must be a whole number, got \"long\"", new String[] {"--dataset",
                    "longbench:" + lbType, "--requests", "1"}),
                Arguments.of(lbEmpty + ":1: fields 'context' and 'input' are both empty", new String[] {"--dataset",
                    "longbench:" + lbEmpty, "--requests", "1"}),
                Arguments.of(short1 + ": has 1 records; this run needs 2", new String[] {"--dataset", "jsonl:" + short1,
                    "--requests", "1", "--concurrency", "1", "2"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDatasets")
    void unreadableDatasetsNameFileLineAndColumnOrField(String expected, String[] args) {
        DatasetException e = assertThrows(DatasetException.class, () -> RunPlan.of(ProducerConfig.parse(args)));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    static Stream<Arguments> badSloFiles() throws Exception {
        Path unknown = file("slo.yaml", "ttft_ms: 200\nttfb_ms: 100\n");
        Path text = file("slo.yaml", "ttft_ms: fast\n");
        Path negative = file("slo.yaml", "tpot_ms: -5\n");
        Path notYaml = file("slo.yaml", "ttft_ms: [1, 2\n");
        Path empty = file("slo.yaml", "");
        return Stream.of(
                Arguments.of(unknown, "--slo " + unknown + ": unknown key 'ttfb_ms'"),
                Arguments.of(text, "--slo " + text + ": 'ttft_ms' must be a number of milliseconds > 0, got \"fast\""),
                Arguments.of(negative, "--slo " + negative + ": 'tpot_ms' must be a number of milliseconds > 0, got -5"),
                Arguments.of(notYaml, "--slo " + notYaml + " is not readable YAML"),
                Arguments.of(empty, "--slo " + empty + " must map some of"),
                Arguments.of(Path.of("/nonexistent/slo.yaml"), "--slo /nonexistent/slo.yaml is not readable YAML"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSloFiles")
    void badSloFilesNameTheFlagFileAndKey(Path slo, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProducerConfig.parse(new String[] {"--slo", slo.toString()}));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
