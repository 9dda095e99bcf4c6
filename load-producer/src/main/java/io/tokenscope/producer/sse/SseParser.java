package io.tokenscope.producer.sse;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Incremental Server-Sent Events parser over raw bytes, tolerant of what real servers send:
 * LF, CRLF or CR line ends (even split across reads), {@code data:} with or without the space,
 * comment lines ({@code : ping}), several events in one read, one event across many reads, and a
 * last event not followed by a blank line. Each event carries the arrival time of the read that
 * completed it, which is when a client could first have acted on it.
 */
public final class SseParser {
    /**
     * Receives each complete event's data (data lines joined by '\n') as UTF-8 in
     * {@code data[0, length)}. The array is the parser's own and is reused once this returns.
     */
    public interface Listener {
        void onEvent(byte[] data, int length, long arrivalNs);
    }

    /**
     * Receives the value of an {@code error:} field. It is not standard SSE, whose readers ignore
     * unknown fields, but llama.cpp's server reports a failure mid-stream that way, then still
     * sends {@code data: [DONE]}; ignored, such a request would read as a success.
     */
    public interface ErrorListener {
        void onError(String value, long arrivalNs);
    }

    /**
     * Longest line or event kept, in bytes. A real token event is a few hundred bytes and a
     * hostile server's giant chunk a few hundred kilobytes; past this the server is not sending
     * SSE events, and buffering on would only grow the heap until it failed.
     */
    public static final int MAX_EVENT_BYTES = 8 << 20;

    private final Listener listener;
    private final ErrorListener errors;
    private boolean oversized;
    /** When a line that is not a comment last began or ended, or an event was dispatched; 0 before. */
    private long lastContentNs;
    private byte[] line = new byte[512];
    private int lineLength;
    private boolean afterCr;
    /** The event's data lines so far, joined by '\n', as bytes: handed on as they are, never as a String. */
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;

    public SseParser(Listener listener, ErrorListener errors) {
        this.listener = listener;
        this.errors = errors;
    }

    public void feed(Buffer buffer, long arrivalNs) {
        // A plain array loop: Buffer.getByte checks bounds and the reference count on every call,
        // which made it the event loop's hottest frame at 1,000 streams. Vert.x hands the client
        // heap buffers, so the loop reads their array in place; copying it out (getBytes) was a
        // tenth of what the event loop allocated, and allocation sets how often G1 stops it.
        ByteBuf bytes = buffer.getByteBuf();
        if (bytes.hasArray()) {
            feed(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes(), arrivalNs);
        } else {
            byte[] copy = buffer.getBytes();
            feed(copy, 0, copy.length, arrivalNs);
        }
    }

    public void feed(byte[] chunk, long arrivalNs) {
        feed(chunk, 0, chunk.length, arrivalNs);
    }

    private void feed(byte[] chunk, int offset, int length, long arrivalNs) {
        for (int i = offset, end = offset + length; i < end; i++) {
            accept(chunk[i], arrivalNs);
        }
        // A long line arriving slowly is an answer arriving, though the line has not ended yet.
        if (lineLength > 0 && line[0] != ':') {
            lastContentNs = arrivalNs;
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
            if (lineLength == 0 && b != ':') {
                lastContentNs = arrivalNs;
            }
            if (lineLength == line.length) {
                if (lineLength >= MAX_EVENT_BYTES) {
                    oversized = true;
                    return;
                }
                line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_EVENT_BYTES));
            }
            line[lineLength++] = b;
        }
    }

    /**
     * When the stream last showed signs of an answer rather than of keep-alive comments alone: a
     * server that sends only {@code : ping} lines is silent as far as tokens go, and a request
     * kept open by them must still reach its timeout.
     */
    public long lastContentNs() {
        return lastContentNs;
    }

    /** Whether a line or event passed {@link #MAX_EVENT_BYTES}; its excess was dropped, not kept. */
    public boolean oversized() {
        return oversized;
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
        lastContentNs = arrivalNs;
        int colon = indexOf(line, n, (byte) ':');
        int fieldLength = colon < 0 ? n : colon;
        boolean error = isError(line, fieldLength);
        if (!error && !isData(line, fieldLength)) {
            return; // event:, id:, retry: carry nothing the OpenAI streams need
        }
        int valueStart = colon < 0 ? n : colon + 1;
        if (valueStart < n && line[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = n - valueStart;
        if (dataLength + valueLength + 1 > MAX_EVENT_BYTES) {
            oversized = true;
            return;
        }
        if (error) {
            errors.onError(new String(line, valueStart, valueLength, java.nio.charset.StandardCharsets.UTF_8), arrivalNs);
            return;
        }
        if (dataLength + valueLength + 1 > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + valueLength + 1));
        }
        if (hasData) {
            data[dataLength++] = '\n';
        }
        System.arraycopy(line, valueStart, data, dataLength, valueLength);
        dataLength += valueLength;
        hasData = true;
    }

    private void dispatch(long arrivalNs) {
        if (!hasData) {
            return;
        }
        int length = dataLength;
        dataLength = 0;
        hasData = false;
        listener.onEvent(data, length, arrivalNs);
    }

    /** The field name is exactly "data", compared as bytes: no String per line. */
    private static boolean isData(byte[] a, int fieldLength) {
        return fieldLength == 4 && a[0] == 'd' && a[1] == 'a' && a[2] == 't' && a[3] == 'a';
    }

    private static boolean isError(byte[] a, int fieldLength) {
        return fieldLength == 5 && a[0] == 'e' && a[1] == 'r' && a[2] == 'r' && a[3] == 'o' && a[4] == 'r';
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
