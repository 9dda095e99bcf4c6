package io.tokenscope.bench.producer;

import io.tokenscope.cli.Flags;
import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.ProducerConfig;
import io.tokenscope.producer.report.RunSummary;
import io.tokenscope.registry.RegistryServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Producer fidelity and capacity: for each number of concurrent streams, the simulator (a child
 * JVM, fixed schedule, ground-truth log on) serves them and the producer measures them while
 * emitting every event to the real Kafka broker; then the producer's timestamps are compared
 * chunk by chunk with the simulator's send times. One row per stream count.
 */
public final class ProducerFidelity {
    private ProducerFidelity() {}

    public record Options(List<Integer> streams, double ttftMs, double itlMs, int tokens, int requestsPerStream,
                          String kafka, int realtimePriority, int simLoops, Path outDir) {
        static final String USAGE = """
                bench producer: the producer's timing error against the simulator's ground truth, and its event rate
                  --streams N...            concurrent streams, one row each (default 1 100 1000 5000)
                  --ttft-ms X --itl-ms X    the simulator's schedule (default 50, 20)
                  --tokens N                tokens per response (default 32)
                  --requests-per-stream N   requests each stream sends in turn (default 3)
                  --kafka-bootstrap H:P     Kafka (default 127.0.0.1:19092)
                  --realtime-priority P     SCHED_FIFO for the producer's and simulator's I/O threads (default 0 = off)
                  --sim-loops N             simulator I/O threads (default 1)
                  --out DIR                 where ground-truth logs and bench-producer.csv go (default .tokenscope/bench)
                """;

        public static Options parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("--streams", "--ttft-ms", "--itl-ms", "--tokens",
                    "--requests-per-stream", "--kafka-bootstrap", "--realtime-priority", "--sim-loops", "--out"),
                    Set.of("--streams"));
            List<Integer> streams = new ArrayList<>();
            for (String s : f.all("--streams")) {
                int n = Flags.whole("--streams", s);
                if (n < 1) throw new IllegalArgumentException("--streams values must be >= 1, got " + n);
                streams.add(n);
            }
            if (streams.isEmpty()) streams.addAll(List.of(1, 100, 1000, 5000));
            Options o = new Options(List.copyOf(streams), f.number("--ttft-ms", 50), f.number("--itl-ms", 20),
                    f.whole("--tokens", 32), f.whole("--requests-per-stream", 3),
                    f.text("--kafka-bootstrap", "127.0.0.1:19092"), f.whole("--realtime-priority", 0),
                    f.whole("--sim-loops", 1), Path.of(f.text("--out", ".tokenscope/bench")));
            if (o.tokens < 2) throw new IllegalArgumentException("--tokens must be >= 2 so there are gaps to time");
            if (o.requestsPerStream < 1) throw new IllegalArgumentException("--requests-per-stream must be >= 1");
            if (!(o.itlMs > 0) || !(o.ttftMs >= 0)) throw new IllegalArgumentException("--itl-ms must be > 0, --ttft-ms >= 0");
            return o;
        }
    }

    /** One stream count's figures. */
    record Row(int streams, int requests, int failed, long chunks, long unmatched, double seconds, long eventsAcked,
               long eventsFailed, Fidelity fidelity, double producerCpuS, double simCpuS, long producerHeapMb) {
        String csv() {
            Fidelity f = fidelity;
            return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.3f,%d,%d,%.0f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%.2f,%d",
                    streams, requests, failed, chunks, unmatched, seconds, eventsAcked, eventsFailed, eventsAcked / seconds,
                    Fidelity.absPercentileMs(f.ttftErrorsNs(), 50), Fidelity.absPercentileMs(f.ttftErrorsNs(), 99),
                    Fidelity.worstMs(f.ttftErrorsNs()), Fidelity.absPercentileMs(f.itlErrorsNs(), 50),
                    Fidelity.absPercentileMs(f.itlErrorsNs(), 99), Fidelity.worstMs(f.itlErrorsNs()), producerCpuS,
                    simCpuS, producerHeapMb);
        }
    }

    static final String CSV_HEADER = "streams,requests,failed,chunks,unmatched_chunks,seconds,events_acked,events_failed,"
            + "events_per_s,ttft_err_p50_ms,ttft_err_p99_ms,ttft_err_worst_ms,itl_err_p50_ms,itl_err_p99_ms,itl_err_worst_ms,"
            + "producer_cpu_s,sim_cpu_s,producer_heap_mb";

    public static void run(Options o) throws Exception {
        Files.createDirectories(o.outDir());
        String topic = "bench-telemetry-" + Long.toHexString(System.nanoTime());
        List<Row> rows = new ArrayList<>();
        try (RegistryServer registry = RegistryServer.start(io.tokenscope.kafka.KafkaConnection.plain(o.kafka()), freePort(), "_schemas")) {
            for (int streams : o.streams()) {
                rows.add(measure(o, streams, topic, registry.url()));
                print(o, rows);
            }
        }
        List<String> csv = new ArrayList<>(List.of(CSV_HEADER));
        rows.forEach(r -> csv.add(r.csv()));
        Path file = o.outDir().resolve("bench-producer.csv");
        Files.write(file, csv);
        System.out.println("written: " + file);
    }

    private static Row measure(Options o, int streams, String topic, String registryUrl) throws Exception {
        Path truth = o.outDir().resolve("ground-truth-" + streams + ".csv");
        int port = freePort();
        List<String> sim = new ArrayList<>(List.of("--port", String.valueOf(port), "--engine", "fixed",
                "--ttft-ms", String.valueOf(o.ttftMs()), "--itl-ms", String.valueOf(o.itlMs()),
                "--output-tokens", String.valueOf(o.tokens()), "--event-loops", String.valueOf(o.simLoops()),
                "--ground-truth", truth.toString()));
        if (o.realtimePriority() > 0) sim.addAll(List.of("--realtime-priority", String.valueOf(o.realtimePriority())));
        LoadRun.Report report;
        double simCpuS;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        try (SimProcess server = SimProcess.start(sim, o.outDir().resolve("sim-" + streams + ".log"))) {
            List<String> producer = new ArrayList<>(List.of("--endpoint", "http://127.0.0.1:" + port,
                    "--kafka-bootstrap", o.kafka(), "--topic", topic, "--schema-registry-url", registryUrl,
                    "--run-id", "bench-" + streams + "-" + Long.toHexString(System.currentTimeMillis()),
                    "--concurrency", String.valueOf(streams), "--requests", String.valueOf(streams * o.requestsPerStream()),
                    "--max-tokens", String.valueOf(o.tokens()), "--warmup-requests", String.valueOf(Math.min(streams, 200)),
                    "--timeout-s", "120"));
            if (o.realtimePriority() > 0) {
                producer.addAll(List.of("--realtime-priority", String.valueOf(o.realtimePriority())));
            }
            report = LoadRun.execute(ProducerConfig.parse(producer.toArray(String[]::new)));
            simCpuS = server.cpuSeconds();
        }
        // The whole bench JVM, warm-up included: the producer's event loop, emitter and Kafka client.
        double producerCpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        RunSummary s = report.summary();
        Fidelity f = Fidelity.of(report.results(), GroundTruthLog.read(truth));
        return new Row(streams, s.requests(), s.requests() - s.successes(), f.chunks(), f.unmatched(), s.durationS(),
                report.eventsSent(), report.eventsFailed(), f, producerCpuS, simCpuS, heapMb);
    }

    private static void print(Options o, List<Row> rows) {
        System.out.printf(Locale.ROOT, "%nproducer fidelity: simulator TTFT %.0f ms, ITL %.0f ms, %d tokens; errors are "
                + "|client arrival - simulator send| (ms)%n", o.ttftMs(), o.itlMs(), o.tokens());
        System.out.printf("%8s %9s %7s %9s %10s %9s %9s %9s %9s %9s %9s %8s %8s%n", "streams", "requests", "failed",
                "chunks", "events/s", "TTFT p50", "TTFT p99", "TTFT max", "ITL p50", "ITL p99", "ITL max", "prod CPU",
                "sim CPU");
        for (Row r : rows) {
            Fidelity f = r.fidelity();
            System.out.printf(Locale.ROOT, "%8d %9d %7d %9d %10.0f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %7.1fs %7.1fs%n",
                    r.streams(),
                    r.requests(), r.failed(), r.chunks(), r.eventsAcked() / r.seconds(),
                    Fidelity.absPercentileMs(f.ttftErrorsNs(), 50), Fidelity.absPercentileMs(f.ttftErrorsNs(), 99),
                    Fidelity.worstMs(f.ttftErrorsNs()), Fidelity.absPercentileMs(f.itlErrorsNs(), 50),
                    Fidelity.absPercentileMs(f.itlErrorsNs(), 99), Fidelity.worstMs(f.itlErrorsNs()), r.producerCpuS(),
                    r.simCpuS());
            if (r.unmatched() > 0 || r.eventsFailed() > 0) {
                System.out.printf("         %d chunks not in the ground-truth log, %d events not acknowledged%n",
                        r.unmatched(), r.eventsFailed());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The simulator in a JVM of its own, so its collector and threads are not the producer's. */
    static final class SimProcess implements AutoCloseable {
        private final Process process;

        private SimProcess(Process process) {
            this.process = process;
        }

        static SimProcess start(List<String> args, Path log) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-XX:+UseZGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
                    "-cp", System.getProperty("java.class.path"), "io.tokenscope.sim.Main"));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) throw new IllegalStateException("the simulator exited: " + Files.readString(log));
                if (Files.readString(log).contains("llm-sim serving")) return new SimProcess(p);
                Thread.sleep(100);
            }
            p.destroyForcibly();
            throw new IllegalStateException("the simulator did not start within 30 s: " + Files.readString(log));
        }

        double cpuSeconds() {
            return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        }

        /** SIGTERM, so the simulator's shutdown hook flushes the ground-truth log. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the simulator did not stop; its ground-truth log may be incomplete");
            }
        }
    }
}
