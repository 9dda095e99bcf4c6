package io.tokenscope.aggregator.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RowBinaryTest {
    private static byte[] bytes(RowBinary rb) throws Exception {
        return rb.stream().readAllBytes();
    }

    @Test
    void headerThenValuesInClickHouseByteOrder() throws Exception {
        RowBinary rb = new RowBinary(new Tables.Column[] {new Tables.Column("a", "UInt16"), new Tables.Column("é", "String")});
        rb.uint16(0x0102).string("é").nullableFloat64(null).nullableUInt32(7);
        assertArrayEquals(new byte[] {2, 1, 'a', 2, (byte) 0xC3, (byte) 0xA9, 6, 'U', 'I', 'n', 't', '1', '6',
            6, 'S', 't', 'r', 'i', 'n', 'g',
            0x02, 0x01, 2, (byte) 0xC3, (byte) 0xA9, 1, 0, 7, 0, 0, 0}, bytes(rb));
    }

    @Test
    void lengthsAboveOneHundredTwentySevenTakeTwoVarintBytes() throws Exception {
        RowBinary rb = new RowBinary(new Tables.Column[0]);
        rb.string("x".repeat(300));
        byte[] b = bytes(rb);
        assertArrayEquals(new byte[] {0, (byte) 0xAC, 0x02}, java.util.Arrays.copyOf(b, 3), "300 = 0b10_0101100");
    }

    @Test
    void dateTime64IsTicksSinceTheEpoch() throws Exception {
        RowBinary rb = new RowBinary(new Tables.Column[0]);
        rb.dateTime64(Instant.ofEpochSecond(1, 234_567_891), 6).dateTime64(Instant.ofEpochSecond(1, 234_567_891), 3);
        byte[] b = bytes(rb);
        long micros = 0, millis = 0;
        for (int i = 0; i < 8; i++) {
            micros |= (b[1 + i] & 0xFFL) << (8 * i);
            millis |= (b[9 + i] & 0xFFL) << (8 * i);
        }
        assertArrayEquals(new long[] {1_234_567, 1_234}, new long[] {micros, millis});
    }
}
