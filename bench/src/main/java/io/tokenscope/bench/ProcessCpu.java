package io.tokenscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the services a bench shares the machine with, found by their command lines: the
 * cost of a pipeline is its broker's and database's work too, not only the bench JVM's.
 */
public final class ProcessCpu {
    private ProcessCpu() {}

    /** Services by name and the command-line fragment that finds them. */
    private static final Map<String, String> SERVICES = Map.of("kafka", "kafka.Kafka", "clickhouse", "clickhouse");

    /** Total CPU seconds so far of every process matching each service (0 where none runs). */
    public static Map<String, Double> read() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        SERVICES.keySet().stream().sorted().forEach(name -> cpu.put(name, 0.0));
        ProcessHandle.allProcesses().forEach(p -> {
            String line = commandLine(p.pid());
            for (Map.Entry<String, String> s : SERVICES.entrySet()) {
                if (line.contains(s.getValue()) && !line.contains("io.tokenscope")) {
                    double seconds = p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
                    cpu.merge(s.getKey(), seconds, Double::sum);
                }
            }
        });
        return cpu;
    }

    /** Read directly: ProcessHandle.Info cuts a long command line (Kafka's class path) before its main class. */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** now - before, per service. */
    public static Map<String, Double> since(Map<String, Double> before) {
        Map<String, Double> now = read();
        now.replaceAll((name, seconds) -> seconds - before.getOrDefault(name, 0.0));
        return now;
    }

    /** This JVM's peak resident set in MiB (VmHWM): heap and native memory (RocksDB, Netty) alike; -1 off Linux. */
    public static long selfPeakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
