package io.tokenscope.aggregator.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.aggregator.Labels;
import io.tokenscope.aggregator.Sketches;
import java.time.Instant;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.junit.jupiter.api.Test;

class RequestStateTest {
    private static RequestFinished finished(Integer completionTokens, long endNs) {
        return new RequestFinished("run", "req-1", "sc", 1, 4, "http://e", "m", "ok", 200, null, null, endNs,
                Instant.parse("2026-01-01T00:00:01Z"), 3, "length", 100, completionTokens, 40, 0L);
    }

    private interface Rest {
        void write(java.io.DataOutputStream out) throws java.io.IOException;
    }

    /**
     * A request state as an older build stored it: the format byte and the head every format
     * shares (labels, start, first and last arrival, 3 chunks, 3 tokens), then rest.
     */
    private static byte[] olderState(int format, Rest rest) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(format);
            new Labels("run", "sc", 1, 4, "http://e", "m").write(out);
            out.writeLong(1_767_225_600_000_000L);
            out.writeLong(50_000_000L);
            out.writeLong(72_000_000L);
            out.writeInt(3);
            out.writeInt(3);
            rest.write(out);
        }
        return bytes.toByteArray();
    }

    @Test
    void stateAnOlderBuildStoredWithEveryGapIsReadIntoTheSketch() throws Exception {
        // Format 2 (before 4607bf4): the common head, the gaps in µs, last seen, closed at.
        byte[] bytes = olderState(2, out -> {
            out.writeInt(2);
            out.writeInt(10_000);
            out.writeInt(12_000);
            out.writeLong(123L);
            out.writeLong(-1L); // open
        });
        RequestState s = RequestState.serde().deserializer().deserialize("t", bytes);
        assertEquals(123L, s.lastSeenMs);
        assertFalse(s.closed());
        s.chunk(3, 80_000_000L, 1);
        RequestMetrics m = s.finish(finished(null, 90_000_000L));
        assertEquals(50.0, m.getTtftMs(), 1e-9);
        assertEquals(4, m.getOutputTokens());
        KllFloatsSketch gaps = Sketches.fromBytes(m.getItlSketch());
        assertEquals(3, gaps.getN(), "the two stored gaps and the new one");
        assertEquals(8_000f, gaps.getMinItem());
        assertEquals(12_000f, gaps.getMaxItem());
    }

    @Test
    void stateTheLastBuildStoredWithASketchIsReadAndGoesOn() throws Exception {
        // Format 3: the common head, last seen, closed at, the sketch.
        KllFloatsSketch stored = Sketches.empty();
        stored.update(10_000f);
        stored.update(12_000f);
        byte[] sketch = stored.toByteArray();
        RequestState s = RequestState.fromBytes(olderState(3, out -> {
            out.writeLong(123L);
            out.writeLong(-1L);
            out.writeInt(sketch.length);
            out.write(sketch);
        }));
        s.chunk(3, 80_000_000L, 1);
        RequestState again = RequestState.fromBytes(s.toBytes());
        KllFloatsSketch gaps = Sketches.fromBytes(again.finish(finished(null, 90_000_000L)).getItlSketch());
        assertEquals(3, gaps.getN(), "the two stored gaps and the new one");
        assertEquals(8_000f, gaps.getMinItem());
        assertEquals(12_000f, gaps.getMaxItem());
    }

    /**
     * Up to k gaps the state holds the values and builds the sketch at the end: the same bytes
     * as a sketch updated on every chunk. Past k it is that sketch, through every serde.
     */
    @Test
    void gapsGiveTheSketchOfEveryGapWhateverTheirNumberAndSerdes() {
        java.util.Random random = new java.util.Random(7);
        for (int chunks : new int[] {1, 2, 3, 17, Sketches.K, Sketches.K + 1, Sketches.K + 2, 1_000}) {
            RequestState s = new RequestState();
            KllFloatsSketch direct = Sketches.empty();
            long t = 5_000_000L;
            for (int i = 0; i < chunks; i++) {
                long gap = i == 0 ? 0 : random.nextInt(80_000_000);
                t += gap;
                if (i > 0) direct.update(gap / 1000);
                s.chunk(i, t, 1);
                if (i % 3 == 0) s = RequestState.fromBytes(s.toBytes());
            }
            assertEquals(chunks - 1, s.itlUs.count());
            RequestMetrics m = RequestState.fromBytes(s.toBytes()).finish(finished(null, t + 1));
            if (chunks == 1) {
                assertNull(m.getItlSketch());
                continue;
            }
            KllFloatsSketch got = Sketches.fromBytes(m.getItlSketch());
            assertEquals(direct.getN(), got.getN(), chunks + " chunks");
            assertEquals(direct.getMinItem(), got.getMinItem());
            assertEquals(direct.getMaxItem(), got.getMaxItem());
            if (chunks - 1 <= Sketches.K) {
                assertEquals(java.nio.ByteBuffer.wrap(direct.toByteArray()), m.getItlSketch(), chunks + " chunks");
            } else {
                for (double rank : new double[] {0.5, 0.9, 0.99}) {
                    // Two sketches past k compact at random; each is within its rank error.
                    double q = got.getQuantile(rank);
                    assertTrue(Math.abs(direct.getRank((float) q) - rank) <= 2 * Sketches.RANK_ERROR,
                            chunks + " chunks, rank " + rank);
                }
            }
        }
    }

    @Test
    void metricsFromThreeChunks() {
        RequestState s = new RequestState();
        s.label("run", "sc", 1, 4, "http://e", "m");
        s.startWallUs = 1_767_225_600_000_000L;
        s.chunk(0, 50_000_000L, 1);
        s.chunk(1, 60_000_000L, 1);
        s.chunk(2, 72_000_000L, 1);
        RequestMetrics m = s.finish(finished(null, 80_000_000L));
        assertEquals(50.0, m.getTtftMs(), 1e-9);
        assertEquals(11.0, m.getMeanItlMs(), 1e-9);
        assertEquals(11.0, m.getTpotMs(), 1e-9);
        assertEquals(80.0, m.getE2eMs(), 1e-9);
        assertEquals(3, m.getOutputTokens());
        KllFloatsSketch gaps = Sketches.fromBytes(m.getItlSketch());
        assertEquals(2, gaps.getN());
        assertEquals(10_000f, gaps.getMinItem());
        assertEquals(12_000f, gaps.getMaxItem());
        assertEquals(40, m.getCachedTokens());
    }

    @Test
    void serverUsageWinsForTokensAndTpotUsesIt() {
        RequestState s = new RequestState();
        s.chunk(0, 10_000_000L, 2);
        s.chunk(1, 30_000_000L, 2);
        RequestMetrics m = s.finish(finished(5, 40_000_000L));
        assertEquals(5, m.getOutputTokens());
        assertEquals(5.0, m.getTpotMs(), 1e-9, "(30 - 10) ms over 4 later tokens");
    }

    @Test
    void replayedChunkIsNotCountedTwice() {
        RequestState s = new RequestState();
        s.chunk(0, 10_000_000L, 1);
        assertFalse(s.chunk(0, 10_000_000L, 1));
        s.chunk(1, 20_000_000L, 1);
        assertEquals(2, s.chunks);
        assertEquals(1, s.itlUs.count());
    }

    @Test
    void requestWithoutChunksHasNoTtft() {
        RequestMetrics m = new RequestState().finish(finished(null, 5_000_000L));
        assertNull(m.getTtftMs());
        assertNull(m.getMeanItlMs());
        assertNull(m.getItlSketch());
        assertEquals(0, m.getChunks());
    }

    @Test
    void stateStaysSmallHoweverLongTheStream() {
        RequestState s = new RequestState();
        for (int i = 0; i < 100_000; i++) s.chunk(i, 1_000_000L * (i + 1) + (i % 7) * 1000L, 1);
        int bytes = s.toBytes().length;
        assertTrue(bytes < 4_000, "state of a 100k-chunk request is " + bytes + " bytes");
        RequestMetrics m = RequestState.fromBytes(s.toBytes()).finish(finished(null, 200_000_000_000L));
        assertEquals((s.lastNs - s.firstNs) / 1e6 / 99_999, m.getMeanItlMs(), 1e-12, "mean stays exact");
        assertEquals(99_999, Sketches.fromBytes(m.getItlSketch()).getN());
    }

    @Test
    void stateSurvivesItsSerde() {
        RequestState s = new RequestState();
        s.label("run", "sc", 2, 8, "http://e", "m");
        s.startWallUs = 123;
        for (int i = 0; i < 40; i++) s.chunk(i, 1_000_000L * (i + 1), 1);
        byte[] bytes = RequestState.serde().serializer().serialize("t", s);
        RequestState back = RequestState.serde().deserializer().deserialize("t", bytes);
        assertEquals(s.finish(finished(null, 50_000_000L)), back.finish(finished(null, 50_000_000L)));
        assertEquals(2, back.labels.round());
        assertEquals(39, back.itlUs.count());
        s.label("run-2", "sc", 3, 8, "http://e", "m");
        assertEquals(new Labels("run-2", "sc", 3, 8, "http://e", "m"), RequestState.fromBytes(s.toBytes()).labels,
                "labels set after a write are written, not the ones serialized before");
    }
}
