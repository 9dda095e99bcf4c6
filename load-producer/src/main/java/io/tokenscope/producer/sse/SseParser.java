package io.tokenscope.producer.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental Server-Sent Events parser over raw bytes, tolerant of what real servers send:
 * LF, CRLF or CR line ends (even split across reads), {@code data:} with or without the space,
 * comment lines ({@code : ping}), several events in one read, one event across many reads, and a
 * last event not followed by a blank line. Each event carries the arrival time of the read that
 * completed it, which is when a client could first have acted on it.
 */
public final class SseParser {
    /** Receives each complete event's data (data lines joined by '\n'). */
    public interface Listener {
        void onEvent(String data, long arrivalNs);
    }

    private final Listener listener;
    private byte[] line = new byte[512];
    private int lineLength;
    private boolean afterCr;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    public void feed(Buffer buffer, long arrivalNs) {
        int n = buffer.length();
        for (int i = 0; i < n; i++) {
            accept(buffer.getByte(i), arrivalNs);
        }
    }

    public void feed(byte[] chunk, long arrivalNs) {
        for (byte b : chunk) {
            accept(b, arrivalNs);
        }
    }

    /** The stream ended: a pending event without its blank line is still delivered. */
    public void end(long arrivalNs) {
        if (lineLength > 0) {
            endLine(arrivalNs);
        }
        dispatch(arrivalNs);
    }

    private void accept(byte b, long arrivalNs) {
        if (b == '\n') {
            if (afterCr) {
                afterCr = false;
                return;
            }
            endLine(arrivalNs);
        } else if (b == '\r') {
            afterCr = true;
            endLine(arrivalNs);
        } else {
            afterCr = false;
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
    }

    private void endLine(long arrivalNs) {
        int n = lineLength;
        lineLength = 0;
        if (n == 0) {
            dispatch(arrivalNs);
            return;
        }
        if (line[0] == ':') {
            return;
        }
        int colon = indexOf(line, n, (byte) ':');
        String field = new String(line, 0, colon < 0 ? n : colon, StandardCharsets.UTF_8);
        if (!field.equals("data")) {
            return; // event:, id:, retry: carry nothing the OpenAI streams need
        }
        int valueStart = colon < 0 ? n : colon + 1;
        if (valueStart < n && line[valueStart] == ' ') {
            valueStart++;
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8));
        hasData = true;
    }

    private void dispatch(long arrivalNs) {
        if (!hasData) {
            return;
        }
        String event = data.toString();
        data.setLength(0);
        hasData = false;
        listener.onEvent(event, arrivalNs);
    }

    private static int indexOf(byte[] a, int n, byte b) {
        for (int i = 0; i < n; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
