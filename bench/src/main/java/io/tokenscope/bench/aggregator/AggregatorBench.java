package io.tokenscope.bench.aggregator;

import io.tokenscope.aggregator.Aggregator;
import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.bench.ClickHouseHttp;
import io.tokenscope.bench.MachineCpu;
import io.tokenscope.bench.ProcessCpu;
import io.tokenscope.bench.ThreadCpu;
import io.tokenscope.cli.Flags;
import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.KafkaEmitter;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryServer;
import io.tokenscope.kafka.Topics;
import java.util.Map;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The telemetry path without the network to an endpoint: the producer's own emitter (Avro,
 * Confluent framing, idempotent producer) writes synthetic requests of 100 chunks to a fresh
 * topic as fast as it can; then an aggregator (exactly-once v2) is started on the backlog and
 * timed until ClickHouse holds every token row and every request is in the windows; then, with
 * the aggregator caught up, events are emitted at a steady rate and the age of the newest
 * stored token event is sampled: freshness.
 *
 * <p>A warm-up round runs first, on a backlog of its own, and is reported apart: on two cores the
 * JIT compilers took more CPU than the Streams job itself while a cold aggregator caught up,
 * which is what a restart costs but not what the aggregator sustains.
 */
public final class AggregatorBench {
    private AggregatorBench() {}

    public record Options(long events, long warmupEvents, double freshRate, int freshSeconds, String kafka,
                          String clickhouseUrl, int sinkFlushMs, int sinkBatchRows) {
        static final String USAGE = """
                bench aggregator: token events/s through the exactly-once aggregator into ClickHouse, and freshness
                  --events N             backlog of token events to emit, then aggregate (default 2000000)
                  --warmup-events N      backlog of the warm-up round before it, 0 for none (default 1000000)
                  --fresh-rate N         token events/s during the freshness phase (default 20000)
                  --fresh-seconds N      length of the freshness phase (default 30)
                  --sink-flush-ms N      the aggregator's ClickHouse flush interval (default 500)
                  --sink-batch-rows N    rows that make the aggregator flush before the interval (default 200000)
                  --kafka-bootstrap H:P  (default 127.0.0.1:19092)
                  --clickhouse-url URL   (default http://127.0.0.1:18123)
                """;

        public static Options parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("--events", "--warmup-events", "--fresh-rate", "--fresh-seconds",
                    "--kafka-bootstrap", "--clickhouse-url", "--sink-flush-ms", "--sink-batch-rows"));
            Options o = new Options(f.whole("--events", 2_000_000), f.whole("--warmup-events", 1_000_000),
                    f.number("--fresh-rate", 20_000), f.whole("--fresh-seconds", 30),
                    f.text("--kafka-bootstrap", "127.0.0.1:19092"), f.text("--clickhouse-url", "http://127.0.0.1:18123"),
                    f.whole("--sink-flush-ms", 500), f.whole("--sink-batch-rows", 200_000));
            if (o.events < CHUNKS) throw new IllegalArgumentException("--events must be >= " + CHUNKS);
            if (o.warmupEvents != 0 && o.warmupEvents < CHUNKS) {
                throw new IllegalArgumentException("--warmup-events must be 0 or >= " + CHUNKS);
            }
            if (!(o.freshRate > 0)) throw new IllegalArgumentException("--fresh-rate must be > 0");
            return o;
        }
    }

    private static final int CHUNKS = 100;

    public static void run(Options o) throws Exception {
        KafkaConnection kafka = KafkaConnection.plain(o.kafka());
        ClickHouseHttp ch = new ClickHouseHttp(o.clickhouseUrl());
        try (RegistryServer registry = RegistryServer.start(kafka, 0, "_schemas")) {
            if (o.warmupEvents() > 0) {
                round(o, o.warmupEvents(), "warm-up (cold JVM)", false, kafka, ch, registry);
            }
            round(o, o.events(), o.warmupEvents() > 0 ? "measured (warm JVM)" : "measured (cold JVM)", true, kafka, ch,
                    registry);
        }
    }

    /** One backlog through a fresh aggregator, on a topic, application id and database of its own. */
    private static void round(Options o, long events, String name, boolean freshness, KafkaConnection kafka,
                              ClickHouseHttp ch, RegistryServer registry) throws Exception {
        String id = Long.toHexString(System.currentTimeMillis());
        String topic = "bench-agg-" + id, db = "bench_agg_" + id;
        AggregatorConfig config = AggregatorConfig.parse(new String[] {"--kafka-bootstrap", o.kafka(), "--topic",
            topic, "--application-id", topic + "-app", "--state-dir",
            Files.createTempDirectory("bench-agg-state").toString(), "--schema-registry-url", registry.url(),
            "--clickhouse-url", o.clickhouseUrl(), "--clickhouse-database", db,
            "--sink-flush-ms", String.valueOf(o.sinkFlushMs()), "--sink-batch-rows", String.valueOf(o.sinkBatchRows())});
        Topics.ensure(kafka, config.partitions(), Map.of("compression.type", "producer"), List.of(topic));
        long requests = events / CHUNKS;
        System.out.printf(Locale.ROOT, "%s round%n", name);
        RunContext backlog = new RunContext("backlog-" + id, "bench", 1, 64, "http://bench", "bench-model", "chat");
        try (KafkaEmitter emitter = new KafkaEmitter(kafka, topic, new ConfluentAvro(new RegistryClient(registry.url())))) {
            long t0 = System.nanoTime();
            long wallUs = System.currentTimeMillis() * 1000;
            for (long r = 0; r < requests; r++) {
                emitRequest(emitter.sink(), backlog, "b" + r, wallUs + r * 1000);
            }
            emitter.drain(Duration.ofMinutes(10));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  emit: %,d events (%,d token events) acknowledged by Kafka in %.1f s = "
                    + "%,.0f events/s (%,d failed)%n", emitter.acked(), requests * CHUNKS, s, emitter.acked() / s,
                    emitter.failed());
        }
        // The whole backlog waits in Kafka; the aggregator starts now and is timed until
        // ClickHouse holds every token row and every request is in the windows.
        long t0 = System.nanoTime();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] machine0 = MachineCpu.read();
        Map<String, Double> services0 = ProcessCpu.read();
        Map<String, Double> threads0 = ThreadCpu.read(AggregatorBench::threadKind);
        Map<String, Long> clickhouse0 = clickhouseEvents(ch);
        try (Aggregator agg = Aggregator.start(config)) {
            agg.awaitRunning(Duration.ofSeconds(60));
            double startup = (System.nanoTime() - t0) / 1e9;
            long stored = waitFor(ch, "SELECT count() FROM " + db + ".token_events", requests * CHUNKS,
                    Duration.ofMinutes(30));
            double storedS = (System.nanoTime() - t0) / 1e9;
            // Token rows come from the sink alone; the windows need the exactly-once Streams job
            // too, so the backlog is through the aggregator only when both are in.
            long windows = waitFor(ch, "SELECT sum(requests) FROM " + db + ".window_aggregates FINAL", requests,
                    Duration.ofMinutes(30));
            double s = (System.nanoTime() - t0) / 1e9;
            // What the catch-up cost, per token event: the aggregator (this JVM) and the services it drives.
            double aggCpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
            Map<String, Double> services = ProcessCpu.since(services0);
            Map<String, Double> threads = ThreadCpu.since(threads0, AggregatorBench::threadKind);
            double busy = MachineCpu.busyFraction(machine0, MachineCpu.read());
            Map<String, Long> clickhouse = clickhouseEvents(ch);
            clickhouse.replaceAll((event, n) -> n - clickhouse0.getOrDefault(event, 0L));
            System.out.printf(Locale.ROOT, "  aggregate: %,d token events stored %.1f s after start and all %,d "
                    + "requests in the windows at %.1f s (%.1f s of it start-up) = %,.0f token events/s end to end, "
                    + "%,.0f/s after start-up%n", stored, storedS, windows, s, startup, stored / s,
                    stored / (s - startup));
            StringBuilder perEvent = new StringBuilder(cpu("aggregator", aggCpuS, stored));
            services.forEach((service, cpuS) -> perEvent.append(", ").append(cpu(service, cpuS, stored)));
            System.out.printf(Locale.ROOT, "  resources: CPU %s; machine %.0f%% busy; bench JVM peak RSS %,d MiB "
                    + "(the aggregator's heap and RocksDB; the emitter's before it)%n", perEvent, 100 * busy,
                    ProcessCpu.selfPeakRssMb());
            StringBuilder byThread = new StringBuilder();
            threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .filter(e -> e.getValue() >= 0.05)
                    .forEach(e -> byThread.append(byThread.isEmpty() ? "" : ", ").append(cpu(e.getKey(), e.getValue(), stored)));
            System.out.printf(Locale.ROOT, "  aggregator CPU by thread: %s%n", byThread);
            // Server-wide counters, so the bench's own polling and any other client count too.
            long inserted = clickhouse.getOrDefault("InsertedRows", 0L);
            System.out.printf(Locale.ROOT, "  clickhouse: %,d rows inserted by %,d inserts; merges rewrote %,d rows "
                    + "(%.1f per row inserted) in %,d merges taking %.1f s; inserts took %.1f s%n", inserted,
                    clickhouse.getOrDefault("InsertQuery", 0L), clickhouse.getOrDefault("MergedRows", 0L),
                    clickhouse.getOrDefault("MergedRows", 0L) / (double) Math.max(1, inserted),
                    clickhouse.getOrDefault("Merge", 0L), clickhouse.getOrDefault("MergeTotalMilliseconds", 0L) / 1e3,
                    clickhouse.getOrDefault("InsertQueryTimeMicroseconds", 0L) / 1e6);
            if (freshness) {
                fresh(o, ch, kafka, registry, topic, db, id);
            }
        }
        ch.sql("DROP DATABASE IF EXISTS " + db);
    }

    private static void fresh(Options o, ClickHouseHttp ch, KafkaConnection kafka, RegistryServer registry, String topic,
                              String db, String id) throws Exception {
        RunContext live = new RunContext("fresh-" + id, "bench", 1, 64, "http://bench", "bench-model", "chat");
        List<Double> lagMs = new ArrayList<>();
        try (KafkaEmitter emitter = new KafkaEmitter(kafka, topic, new ConfluentAvro(new RegistryClient(registry.url())))) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(o.freshSeconds());
            long emitted = 0, nextSample = start + TimeUnit.SECONDS.toNanos(2);
            int r = 0;
            while (System.nanoTime() < end) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * o.freshRate());
                while (emitted < due) {
                    emitRequest(emitter.sink(), live, "f" + r++, System.currentTimeMillis() * 1000);
                    emitted += CHUNKS;
                }
                if (System.nanoTime() >= nextSample) {
                    String newest = ch.sql("SELECT toUnixTimestamp64Micro(max(wall_time)) FROM " + db
                            + ".token_events WHERE run_id = '" + live.runId() + "'").strip();
                    long nowUs = System.currentTimeMillis() * 1000;
                    if (!newest.isEmpty() && !newest.equals("0")) lagMs.add((nowUs - Long.parseLong(newest)) / 1000.0);
                    nextSample += TimeUnit.MILLISECONDS.toNanos(100);
                }
                Thread.sleep(1);
            }
            emitter.drain(Duration.ofMinutes(1));
        }
        double[] lags = lagMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "  freshness at %,.0f token events/s: age of the newest stored token event, "
                + "%d samples every 100 ms: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", o.freshRate(), lags.length,
                pct(lags, 50), pct(lags, 99), lags.length == 0 ? Double.NaN : lags[lags.length - 1]);
    }

    private static void emitRequest(TelemetrySink sink, RunContext c, String requestId, long wallUs) {
        sink.started(c, requestId, wallUs, 2000, CHUNKS);
        long[] gaps = new long[CHUNKS - 1];
        int[] tokens = new int[CHUNKS];
        Arrays.fill(gaps, 10_000_000L);
        Arrays.fill(tokens, 1);
        for (int i = 0; i < CHUNKS; i++) {
            sink.chunk(c, requestId, i, 1, 50_000_000L + i * 10_000_000L, wallUs, " tok");
        }
        sink.finished(c, new RequestResult(requestId, true, 200, null, null, 50_000_000L, gaps, tokens,
                50_000_000L + CHUNKS * 10_000_000L, CHUNKS, CHUNKS, "length", 500, CHUNKS, 0, 0, "", 0), wallUs);
    }

    private static final List<String> CLICKHOUSE_EVENTS = List.of("InsertedRows", "InsertQuery",
            "InsertQueryTimeMicroseconds", "MergedRows", "Merge", "MergeTotalMilliseconds");

    /** ClickHouse's server-wide ProfileEvents counters (system.events) that say where its time went. */
    private static Map<String, Long> clickhouseEvents(ClickHouseHttp ch) throws Exception {
        Map<String, Long> events = new java.util.HashMap<>();
        String rows = ch.sql("SELECT event, value FROM system.events WHERE event IN ('"
                + String.join("','", CLICKHOUSE_EVENTS) + "') FORMAT TSV");
        for (String line : rows.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2) events.put(f[0], Long.parseLong(f[1]));
        }
        return events;
    }

    private static String cpu(String who, double seconds, long events) {
        return String.format(Locale.ROOT, "%s %.1f s (%.1f µs/event)", who, seconds, seconds * 1e6 / events);
    }

    /** The part of the aggregator a thread works for, from its name. */
    private static String threadKind(String name) {
        if (name.contains("StreamThread") && name.startsWith("kafka-producer-network-thread")) return "Streams producer I/O";
        if (name.contains("StreamThread")) return "Streams processing";
        if (name.equals("clickhouse-sink")) return "ClickHouse sink";
        return "other";
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static long waitFor(ClickHouseHttp ch, String sql, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos(), last;
        do {
            last = ch.count(sql);
            if (last >= expected) return last;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("only " + last + " of " + expected + " rows after " + timeout + ": " + sql);
    }
}
