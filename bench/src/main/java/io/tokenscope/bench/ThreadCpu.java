package io.tokenscope.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * This JVM's CPU time by kind of thread, to say where a bench's time went. Java threads are told
 * apart by their full names; the JVM's own workers (garbage collection, the JIT compilers) have no
 * Java thread object, so they are read from /proc by their native names. Threads that ended
 * between two readings are missing from the difference.
 */
public final class ThreadCpu {
    private ThreadCpu() {}

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, which Linux fixes at 100 for /proc

    /** CPU seconds so far per kind; {@code kindOf} names the kind of a Java thread from its name. */
    public static Map<String, Double> read(Function<String, String> kindOf) {
        Map<String, Double> cpu = new TreeMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) continue;
            long ns = threads.getThreadCpuTime(t.getThreadId());
            if (ns > 0) cpu.merge(kindOf.apply(t.getThreadName()), ns / 1e9, Double::sum);
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                String kind = jvmWorker(read(task.resolve("comm")).strip());
                if (kind != null) cpu.merge(kind, ticks(read(task.resolve("stat"))) / (double) TICKS_PER_SECOND, Double::sum);
            });
        } catch (IOException e) {
            // off Linux: the JVM's own workers go unreported
        }
        return cpu;
    }

    /** now - before, per kind. */
    public static Map<String, Double> since(Map<String, Double> before, Function<String, String> kindOf) {
        Map<String, Double> now = read(kindOf);
        now.replaceAll((kind, seconds) -> seconds - before.getOrDefault(kind, 0.0));
        return now;
    }

    private static String jvmWorker(String nativeName) {
        if (nativeName.startsWith("GC Thread") || nativeName.startsWith("G1 ") || nativeName.startsWith("ZWorker")
                || nativeName.startsWith("ZDirector") || nativeName.startsWith("VM Thread")) return "JVM: GC";
        if (nativeName.contains("CompilerThre")) return "JVM: JIT";
        return null;
    }

    /** utime + stime of a /proc stat line; the name field may hold spaces, so fields count from its ')'. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
