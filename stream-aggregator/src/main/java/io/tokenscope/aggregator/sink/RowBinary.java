package io.tokenscope.aggregator.sink;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rows in ClickHouse's RowBinaryWithNamesAndTypes format, written straight into one growing
 * byte array. The sink sends these instead of bound JDBC parameters because the driver renders
 * every bound value as SQL text (timestamps through a DateTimeFormatter, strings through a regex
 * escape), which profiling showed was most of the sink's CPU. The header carries each column's
 * type, so the server rejects a batch whose types disagree with the table instead of misreading it.
 */
final class RowBinary {
    private byte[] buf = new byte[1 << 16];
    private int size;
    private final int headerSize;

    RowBinary(Tables.Column[] columns) {
        varint(columns.length);
        for (Tables.Column c : columns) string(c.name());
        for (Tables.Column c : columns) string(c.type());
        headerSize = size;
    }

    /** Drops the rows, keeping the header and the grown buffer for the next batch. */
    void clear() {
        size = headerSize;
    }

    /** Bytes of the rows, without the header. */
    int rowBytes() {
        return size - headerSize;
    }

    /** Where the next row starts; {@link #rewind} drops whatever was written after it. */
    int mark() {
        return size;
    }

    void rewind(int mark) {
        size = mark;
    }

    InputStream stream() {
        return new ByteArrayInputStream(buf, 0, size);
    }

    /** String and LowCardinality(String): a LEB128 length, then UTF-8 bytes. */
    RowBinary string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return utf8(b, b.length);
    }

    /** A string given as its UTF-8 bytes, the first {@code length} of them. */
    RowBinary utf8(byte[] b, int length) {
        varint(length);
        ensure(length);
        System.arraycopy(b, 0, buf, size, length);
        size += length;
        return this;
    }

    RowBinary nullableString(String s) {
        return s == null ? isNull() : notNull().string(s);
    }

    RowBinary uint16(int v) {
        return littleEndian(v, 2);
    }

    RowBinary uint32(long v) {
        return littleEndian(v, 4);
    }

    RowBinary nullableUInt32(Integer v) {
        return v == null ? isNull() : notNull().uint32(v);
    }

    /** Int64 and UInt64 alike. */
    RowBinary int64(long v) {
        return littleEndian(v, 8);
    }

    RowBinary float64(double v) {
        return littleEndian(Double.doubleToRawLongBits(v), 8);
    }

    RowBinary nullableFloat64(Double v) {
        return v == null ? isNull() : notNull().float64(v);
    }

    /** DateTime64(scale), scale 0..9: ticks of 10^-scale s since the epoch, as Int64. */
    RowBinary dateTime64(Instant t, int scale) {
        long perSecond = POWERS_OF_TEN[scale];
        return int64(t.getEpochSecond() * perSecond + t.getNano() / POWERS_OF_TEN[9 - scale]);
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    private RowBinary isNull() {
        ensure(1);
        buf[size++] = 1;
        return this;
    }

    private RowBinary notNull() {
        ensure(1);
        buf[size++] = 0;
        return this;
    }

    private RowBinary littleEndian(long v, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
