package io.tokenscope.sim.truth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's record of what it sent and when: one CSV line per chunk written, with the
 * System.nanoTime() of the write. On Linux that clock is CLOCK_MONOTONIC, shared by every
 * process on the machine, so a client on the same host can subtract it from its own arrival
 * times to get its measurement error. Lines are queued on the event loop and written by a
 * background thread, so logging never blocks a write.
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

    private final BlockingQueue<Sent> queue = new LinkedBlockingQueue<>();
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
        queue.add(sent);
    }

    private void drain(BufferedWriter out) {
        List<Sent> batch = new ArrayList<>();
        try (out) {
            while (true) {
                Sent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    out.flush();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                for (Sent s : batch) {
                    if (s == END) {
                        return;
                    }
                    out.write(s.csv());
                    out.newLine();
                }
                batch.clear();
            }
        } catch (IOException e) {
            System.err.println("ground-truth log stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        queue.add(END);
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
