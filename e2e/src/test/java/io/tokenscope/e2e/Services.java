package io.tokenscope.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** Every name {@link #unique} gave out in this JVM: its databases and topics are dropped at exit. */
    private static final java.util.Set<String> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        if (!"true".equals(System.getenv("TOKENSCOPE_KEEP_TEST_DATA"))) {
            Runtime.getRuntime().addShutdownHook(new Thread(Services::dropWhatTestsMade, "drop-test-data"));
        }
    }

    static String unique(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        GIVEN.add(name);
        return name;
    }

    /**
     * Drops the databases and topics named after this JVM's unique names (a topic counts when it
     * starts with one: Streams' internal topics start with the application id), so runs on
     * long-lived dev services do not pile up. A name's random part makes a prefix match safe.
     */
    private static void dropWhatTestsMade() {
        if (GIVEN.isEmpty() || System.getenv("TOKENSCOPE_CLICKHOUSE_URL") == null
                || System.getenv("TOKENSCOPE_KAFKA_BOOTSTRAP") == null) {
            return;
        }
        // Bounded well inside surefire's 30 s for a forked JVM to exit, which would cut it short.
        java.time.Duration limit = java.time.Duration.ofSeconds(5);
        try {
            for (String db : sql("SELECT name FROM system.databases", java.util.Map.of(), limit).lines().toList()) {
                if (GIVEN.contains(db)) sql("DROP DATABASE IF EXISTS `" + db + "`", java.util.Map.of(), limit);
            }
        } catch (Exception e) {
            System.err.println("test databases left in ClickHouse: " + e);
        }
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka());
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p);
        try {
            List<String> made = admin.listTopics().names().get(5, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .filter(t -> GIVEN.stream().anyMatch(t::startsWith)).toList();
            if (!made.isEmpty()) admin.deleteTopics(made).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("test topics left in Kafka: " + e);
        } finally {
            admin.close(limit);
        }
    }

    /** Runs SQL over ClickHouse's HTTP interface and returns the TSV answer, trimmed. */
    static String sql(String query) {
        return sql(query, java.util.Map.of());
    }

    /** As above, with values for the query's {name:Type} parameters. */
    static String sql(String query, java.util.Map<String, String> params) {
        return sql(query, params, null);
    }

    /** As above, giving up after timeout to connect and to answer (null: no limit). */
    private static String sql(String query, java.util.Map<String, String> params, java.time.Duration timeout) {
        StringBuilder url = new StringBuilder(clickhouseUrl()).append("/?");
        params.forEach((k, v) -> url.append("param_").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        try {
            HttpClient.Builder client = HttpClient.newBuilder();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                    .POST(HttpRequest.BodyPublishers.ofString(query, StandardCharsets.UTF_8));
            if (timeout != null) {
                client.connectTimeout(timeout);
                request.timeout(timeout);
            }
            HttpResponse<String> r = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
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
