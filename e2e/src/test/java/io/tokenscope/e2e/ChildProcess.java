package io.tokenscope.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A module's entry point in a JVM of its own, as it runs in production: the simulator is a
 * server elsewhere, the aggregator a service elsewhere. Keeping them out of the test's JVM keeps
 * their GC pauses and JIT work out of the producer's timestamps.
 */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts mainClass with the test classpath and waits for a line containing readyText. */
    static ChildProcess start(String name, String mainClass, String readyText, List<String> jvmFlags, String... args)
            throws IOException, InterruptedException {
        return start(name, 0, mainClass, readyText, jvmFlags, args);
    }

    /** As above, at a lower CPU priority (nice > 0) so it yields to the processes being timed. */
    static ChildProcess start(String name, int nice, String mainClass, String readyText, List<String> jvmFlags,
                              String... args) throws IOException, InterruptedException {
        return start(name, nice, java.util.Map.of(), mainClass, readyText, jvmFlags, args);
    }

    /** As above, with extra environment variables (how secrets reach a process without its command line). */
    static ChildProcess start(String name, int nice, java.util.Map<String, String> env, String mainClass,
                              String readyText, List<String> jvmFlags, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (nice > 0) {
            command.addAll(List.of("nice", "-n", String.valueOf(nice)));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = Files.createTempFile("tokenscope-" + name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        // However the test JVM ends, it takes its children with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                    if (line.contains(readyText)) ready.complete(true);
                }
            } catch (IOException ignored) {
                // the process ended; its log says why
            }
            ready.complete(false);
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        boolean ok;
        try {
            ok = ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not become ready; its output:\n" + Files.readString(log));
        }
        return new ChildProcess(process, log);
    }

    /** Everything the process has printed so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no flush, no commit, as a crash or an OOM killer would. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
