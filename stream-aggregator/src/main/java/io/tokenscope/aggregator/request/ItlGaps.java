package io.tokenscope.aggregator.request;

import io.tokenscope.aggregator.Sketches;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * One request's gaps between chunks, in microseconds: the values themselves while there are at
 * most {@link Sketches#K}, exactly what a KLL sketch of that k would hold, and the sketch beyond.
 * The request's state is written to its store on every chunk; copying the raw values is one
 * array copy, where serializing a sketch took about a tenth of the Streams thread's samples.
 * A request's metrics get the sketch the same updates in the same order would have built.
 */
final class ItlGaps {
    private static final byte RAW = 0;
    private static final byte SKETCH = 1;

    /** Big-endian floats, as ByteBuffer writes them, so serializing is a copy. */
    private byte[] raw;
    private int n;
    private KllFloatsSketch sketch;

    ItlGaps() {
        this.raw = new byte[16 * Float.BYTES];
    }

    private ItlGaps(byte[] raw, int n, KllFloatsSketch sketch) {
        this.raw = raw;
        this.n = n;
        this.sketch = sketch;
    }

    /** Gaps written before this form existed: a serialized sketch. */
    static ItlGaps ofSketch(KllFloatsSketch sketch) {
        return new ItlGaps(null, 0, sketch);
    }

    void add(float us) {
        if (sketch == null && n == Sketches.K) {
            sketch = sketch();
            raw = null;
        }
        if (sketch != null) {
            sketch.update(us);
            return;
        }
        if ((n + 1) * Float.BYTES > raw.length) {
            raw = java.util.Arrays.copyOf(raw, Math.min(2 * raw.length, Sketches.K * Float.BYTES));
        }
        int bits = Float.floatToRawIntBits(us);
        int at = n * Float.BYTES;
        raw[at] = (byte) (bits >>> 24);
        raw[at + 1] = (byte) (bits >>> 16);
        raw[at + 2] = (byte) (bits >>> 8);
        raw[at + 3] = (byte) bits;
        n++;
    }

    long count() {
        return sketch != null ? sketch.getN() : n;
    }

    /** The gaps as a sketch: this one's own beyond K values, a new one built from the values below. */
    KllFloatsSketch sketch() {
        if (sketch != null) {
            return sketch;
        }
        KllFloatsSketch built = Sketches.empty();
        ByteBuffer values = ByteBuffer.wrap(raw, 0, n * Float.BYTES);
        for (int i = 0; i < n; i++) built.update(values.getFloat());
        return built;
    }

    int serializedSize() {
        return 1 + Integer.BYTES + (sketch != null ? sketch.getSerializedSizeBytes() : n * Float.BYTES);
    }

    void writeTo(ByteBuffer out) {
        if (sketch != null) {
            byte[] bytes = sketch.toByteArray();
            out.put(SKETCH).putInt(bytes.length).put(bytes);
        } else {
            out.put(RAW).putInt(n).put(raw, 0, n * Float.BYTES);
        }
    }

    static ItlGaps readFrom(DataInputStream in) throws IOException {
        byte form = in.readByte();
        if (form == SKETCH) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return ofSketch(Sketches.fromBytes(bytes));
        }
        if (form != RAW) {
            throw new IllegalStateException("gap form " + form + " is unknown to this build");
        }
        int n = in.readInt();
        if (n < 0 || n > Sketches.K) {
            throw new IllegalStateException("a raw gap list holds 0.." + Sketches.K + " values, not " + n);
        }
        byte[] raw = new byte[Math.max(16, Math.min(Sketches.K, n + 16)) * Float.BYTES];
        in.readFully(raw, 0, n * Float.BYTES);
        return new ItlGaps(raw, n, null);
    }
}
