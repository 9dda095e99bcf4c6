package io.tokenscope.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The real services the tests run against, started by {@code ./tokenscope test} (which exports
 * their addresses). A test without them fails with instructions; it never skips.
 */
final class Services {
    private Services() {}

    static String kafka() {
        return required("TOKENSCOPE_KAFKA_BOOTSTRAP");
    }

    private static final ThreadLocal<String> CLICKHOUSE_OVERRIDE = new ThreadLocal<>();

    static String clickhouseUrl() {
        String override = CLICKHOUSE_OVERRIDE.get();
        return override != null ? override : required("TOKENSCOPE_CLICKHOUSE_URL");
    }

    interface Check {
        void run() throws Exception;
    }

    /** Runs checks whose queries go to another ClickHouse server, e.g. a test's private one. */
    static void withClickHouse(String url, Check check) throws Exception {
        CLICKHOUSE_OVERRIDE.set(url);
        try {
            check.run();
        } finally {
            CLICKHOUSE_OVERRIDE.remove();
        }
    }

    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the tests with ./tokenscope test, which starts "
                    + "a real Kafka broker and ClickHouse server and exports their addresses");
        }
        return v;
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Runs SQL over ClickHouse's HTTP interface and returns the TSV answer, trimmed. */
    static String sql(String query) {
        return sql(query, java.util.Map.of());
    }

    /** As above, with values for the query's {name:Type} parameters. */
    static String sql(String query, java.util.Map<String, String> params) {
        StringBuilder url = new StringBuilder(clickhouseUrl()).append("/?");
        params.forEach((k, v) -> url.append("param_").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.toString()))
                            .POST(HttpRequest.BodyPublishers.ofString(query, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse rejected [" + query + "]: " + r.body());
            }
            return r.body().strip();
        } catch (IOException e) {
            throw new IllegalStateException("ClickHouse unreachable at " + clickhouseUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long count(String query) {
        String s = sql(query);
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** Polls until the query returns the expected number or the time is up; returns the last value. */
    static long awaitCount(String query, long expected, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long last;
        do {
            last = count(query);
            if (last == expected) {
                return last;
            }
            Thread.sleep(250);
        } while (System.currentTimeMillis() < deadline);
        return last;
    }
}
