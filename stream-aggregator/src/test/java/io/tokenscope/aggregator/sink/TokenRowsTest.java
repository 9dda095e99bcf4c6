package io.tokenscope.aggregator.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.deadletter.FieldRanges;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.TokenChunk;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class TokenRowsTest {
    private static byte[] framed(TokenChunk c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {ConfluentAvro.MAGIC, 0, 0, 0, 7});
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<TokenChunk>(TokenChunk.class).write(c, e);
        e.flush();
        return out.toByteArray();
    }

    private static String text(SplittableRandom rnd, int maxLength) {
        return io.tokenscope.aggregator.RandomText.of(rnd, maxLength);
    }


    @Test
    void copiedRowsAreByteForByteTheRowsOfTheDecodedRecords() throws Exception {
        SplittableRandom rnd = new SplittableRandom(6);
        RowBinary copied = new RowBinary(Tables.TOKEN_EVENTS.columns());
        RowBinary decoded = new RowBinary(Tables.TOKEN_EVENTS.columns());
        TokenRows rows = new TokenRows();
        for (int i = 0; i < 2_000; i++) {
            TokenChunk c = new TokenChunk(text(rnd, 40), text(rnd, 40), text(rnd, 10), rnd.nextInt(0, 65_536),
                    rnd.nextInt(0, Integer.MAX_VALUE), text(rnd, 30), text(rnd, 30), rnd.nextInt(0, Integer.MAX_VALUE),
                    rnd.nextInt(0, Integer.MAX_VALUE),
                    rnd.nextLong(), Instant.ofEpochSecond(rnd.nextLong(0, 4_000_000_000L), rnd.nextInt(1_000_000) * 1000L),
                    text(rnd, i % 100 == 0 ? 5_000 : 20));
            rows.append(framed(c), copied);
            Tables.TOKEN_EVENTS.writer().write(decoded, c);
        }
        assertArrayEquals(decoded.stream().readAllBytes(), copied.stream().readAllBytes());
    }

    @Test
    void aBodyThatDoesNotDecodeLeavesTheBatchAsItWas() throws Exception {
        TokenRows rows = new TokenRows();
        RowBinary out = new RowBinary(Tables.TOKEN_EVENTS.columns());
        TokenChunk c = new TokenChunk("run", "req", "sc", 1, 8, "http://e", "m", 3, 1, 5L, Instant.EPOCH, "hello");
        rows.append(framed(c), out);
        byte[] before = out.stream().readAllBytes();
        byte[] whole = framed(c);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        var e = assertThrows(ConfluentAvro.MalformedRecordException.class, () -> rows.append(truncated, out));
        assertTrue(e.getMessage().contains("token event"), e.getMessage());
        assertArrayEquals(before, out.stream().readAllBytes());
        rows.append(whole, out);
        assertTrue(out.stream().readAllBytes().length > before.length, "the next good record still goes in");
    }

    @Test
    void theCopyRefusesWhatTheStreamsAppDeadLettersAndNothingElse() throws Exception {
        SplittableRandom rnd = new SplittableRandom(8);
        TokenRows rows = new TokenRows();
        RowBinary out = new RowBinary(Tables.TOKEN_EVENTS.columns());
        int refused = 0;
        for (int i = 0; i < 3_000; i++) {
            // Each number and wall time now and then out of range, and now and then a label past 4,096 bytes or holding the key separator.
            int round = rnd.nextInt(20) == 0 ? (rnd.nextBoolean() ? -1 : 65_536) : rnd.nextInt(0, 65_536);
            Instant wall = switch (rnd.nextInt(40)) {
                case 0 -> Instant.EPOCH.minusNanos(1_000);
                case 1 -> Instant.parse("2300-01-01T00:00:00Z");
                case 2 -> Instant.parse("2299-12-31T23:59:59.999999Z");
                default -> Instant.EPOCH;
            };
            TokenChunk c = new TokenChunk(label(rnd), "req", label(rnd), round, rnd.nextInt(-2, 100),
                    label(rnd), label(rnd), rnd.nextInt(-2, 100), rnd.nextInt(-2, 100), 5L, wall, "tok");
            String expected = FieldRanges.problem(c);
            int mark = out.mark();
            try {
                rows.append(framed(c), out);
                assertNull(expected, "copied a record the Streams app dead-letters");
            } catch (ConfluentAvro.MalformedRecordException e) {
                assertEquals(expected, e.getMessage());
                assertEquals(mark, out.mark(), "a refused record leaves nothing behind");
                refused++;
            }
        }
        assertTrue(refused > 100 && refused < 2_900, refused + " refused");
    }

    private static String label(SplittableRandom rnd) {
        return switch (rnd.nextInt(80)) {
            case 0, 1 -> "語".repeat(1_365 + rnd.nextInt(2));
            case 2 -> "la\u001fbel";
            default -> "label";
        };
    }

    @Test
    void onlyThisBuildsSchemaIsCopied() {
        TokenRows rows = new TokenRows();
        assertTrue(rows.copies(new Schema.Parser().parse(TokenChunk.getClassSchema().toString())));
        Schema older = SchemaBuilder.record("TokenChunk").namespace("io.tokenscope.schemas").fields()
                .requiredString("run_id").requiredString("request_id").endRecord();
        assertFalse(rows.copies(older));
    }
}
