package io.tokenscope.producer.report;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on the terminal, redrawn four times a second by a thread of its own (writing
 * to a terminal can block, so never from the event loop). Silent when output is not a terminal.
 */
public final class Progress implements AutoCloseable {
    private final AtomicInteger done = new AtomicInteger();
    private final int total;
    private final String label;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;

    public Progress(String label, int total, PrintStream out, boolean enabled) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.thread = new Thread(this::loop, "progress");
        this.thread.setDaemon(true);
        if (enabled) {
            thread.start();
        }
    }

    public static boolean onTerminal() {
        return System.console() != null;
    }

    public void step() {
        done.incrementAndGet();
    }

    private void loop() {
        long t0 = System.nanoTime();
        while (running) {
            draw(t0);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
        draw(t0);
        out.println();
    }

    private void draw(long t0) {
        int n = done.get();
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) n * width / total);
        out.printf("\r%s [%s%s] %d/%d requests, %.1f s", label, "#".repeat(filled), ".".repeat(width - filled), n, total,
                (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
