package io.tokenscope.sim.truth;

import io.tokenscope.cli.Handoff;
import java.io.IOException;
import java.io.OutputStream;
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
                       long dueNs, long sentNs) {}

    private static final Sent END = new Sent(null, null, 0, 0, 0, 0, 0);

    private final Handoff<Sent> queue = new Handoff<>();
    private final Thread writer;

    public GroundTruth(Path file) {
        OutputStream out;
        try {
            out = Files.newOutputStream(file);
            out.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ground-truth log " + file + " (--ground-truth)", e);
        }
        writer = new Thread(() -> drain(new Lines(out)), "ground-truth-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public void record(Sent sent) {
        queue.offer(sent);
    }

    private void drain(Lines out) {
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
                    out.line(s);
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

    /**
     * CSV lines formatted straight into bytes. The writer shares the cores the chunks are timed
     * on; building each line as a String, then encoding it, cost it about 4% of the simulator's
     * CPU at 1,000 streams.
     */
    static final class Lines implements AutoCloseable {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;

        Lines(OutputStream out) {
            this.out = out;
        }

        void line(Sent s) throws IOException {
            text(s.clientRequestId() == null ? "" : s.clientRequestId());
            put((byte) ',');
            text(s.responseId());
            put((byte) ',');
            number(s.chunkIndex());
            put((byte) ',');
            number(s.tokens());
            put((byte) ',');
            number(s.receivedNs());
            put((byte) ',');
            number(s.dueNs());
            put((byte) ',');
            number(s.sentNs());
            put((byte) '\n');
        }

        /** A field as UTF-8, its commas made '_' so the line still splits into seven. */
        private void text(String v) throws IOException {
            if (v.length() > buf.length || !ascii(v)) {
                put(v.replace(',', '_').getBytes(StandardCharsets.UTF_8));
                return;
            }
            room(v.length());
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                buf[pos++] = c == ',' ? (byte) '_' : (byte) c;
            }
        }

        private static boolean ascii(String v) {
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        private void number(long v) throws IOException {
            if (v == Long.MIN_VALUE) {
                put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            room(20);
            if (v < 0) {
                buf[pos++] = '-';
                v = -v;
            }
            int start = pos;
            do {
                buf[pos++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
            for (int i = start, j = pos - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }

        private void put(byte b) throws IOException {
            room(1);
            buf[pos++] = b;
        }

        private void put(byte[] bytes) throws IOException {
            room(bytes.length);
            if (bytes.length > buf.length) {
                out.write(bytes);
                return;
            }
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        private void room(int n) throws IOException {
            if (buf.length - pos < n) {
                flushBuffer();
            }
        }

        private void flushBuffer() throws IOException {
            out.write(buf, 0, pos);
            pos = 0;
        }

        void flush() throws IOException {
            flushBuffer();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            try (out) {
                flush();
            }
        }
    }
}
