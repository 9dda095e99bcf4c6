package io.tokenscope.sim.truth;

import io.tokenscope.cli.Handoff;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's record of what it sent and when: one CSV line per chunk written, with the
 * System.nanoTime() of the write. On Linux that clock is CLOCK_MONOTONIC, shared by every
 * process on the machine, so a client on the same host can subtract it from its own arrival
 * times to get its measurement error. Lines are queued on the event loop and written by a
 * background thread through a {@link Handoff}, so logging never makes the event loop wait.
 *
 * <p>Columns: client_request_id (the request's x-request-id header, or empty), response_id,
 * chunk_index (0 = first text chunk), tokens, received_ns (request fully read), due_ns (when the
 * engine sampled the token), sent_ns (when the chunk was handed to the socket).
 */
public final class GroundTruth implements AutoCloseable {
    public static final String HEADER = "client_request_id,response_id,chunk_index,tokens,received_ns,due_ns,sent_ns";

    /** One chunk as sent. */
    public record Sent(String clientRequestId, String responseId, int chunkIndex, int tokens, long receivedNs,
                       long dueNs, long sentNs) {
        String csv() {
            return (clientRequestId == null ? "" : clientRequestId.replace(",", "_")) + ',' + responseId + ','
                    + chunkIndex + ',' + tokens + ',' + receivedNs + ',' + dueNs + ',' + sentNs;
        }
    }

    private static final Sent END = new Sent(null, null, 0, 0, 0, 0, 0);

    private final Handoff<Sent> queue = new Handoff<>();
    private final Thread writer;

    public GroundTruth(Path file) {
        BufferedWriter out;
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(HEADER);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ground-truth log " + file + " (--ground-truth)", e);
        }
        writer = new Thread(() -> drain(out), "ground-truth-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public void record(Sent sent) {
        queue.offer(sent);
    }

    private void drain(BufferedWriter out) {
        List<Sent> batch = new ArrayList<>(4096);
        long flushAfterNs = TimeUnit.MILLISECONDS.toNanos(200);
        long lastWriteNs = System.nanoTime();
        boolean dirty = false;
        try (out) {
            while (!Thread.currentThread().isInterrupted()) {
                if (queue.drainTo(batch, 4096) == 0) {
                    // Idle: make what is written readable, e.g. by a bench between its runs.
                    if (dirty && System.nanoTime() - lastWriteNs >= flushAfterNs) {
                        out.flush();
                        dirty = false;
                    }
                    continue;
                }
                for (Sent s : batch) {
                    if (s == END) {
                        return;
                    }
                    out.write(s.csv());
                    out.newLine();
                }
                batch.clear();
                dirty = true;
                lastWriteNs = System.nanoTime();
            }
        } catch (IOException e) {
            System.err.println("ground-truth log stopped: " + e);
        }
    }

    @Override
    public void close() {
        queue.offer(END);
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
