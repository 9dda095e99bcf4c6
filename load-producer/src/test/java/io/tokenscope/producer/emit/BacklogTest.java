package io.tokenscope.producer.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.schemas.TokenChunk;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BacklogTest {
    @Test
    void refusesWhatWouldPassTheLimitAndTakesAgainOnceTheEmitterCatchesUp() {
        Backlog b = new Backlog(1_000);
        assertTrue(b.tryAdd(600));
        assertFalse(b.tryAdd(500), "600 + 500 passes 1,000");
        assertEquals(600, b.bytes(), "a refused event leaves nothing counted");
        assertTrue(b.tryAdd(400));
        b.remove(600);
        assertTrue(b.tryAdd(500));
        assertEquals(900, b.bytes());
        assertThrows(IllegalArgumentException.class, () -> new Backlog(0));
    }

    @Test
    void aChunksTextCountsAtTwoBytesAChar() {
        TokenChunk small = new TokenChunk("r", "q", "s", 1, 1, "e", "m", 0, 1, 1L, Instant.EPOCH, "ab");
        TokenChunk large = new TokenChunk("r", "q", "s", 1, 1, "e", "m", 0, 1, 1L, Instant.EPOCH, "x".repeat(10_000));
        assertEquals(20_000 - 4, Backlog.estimate(large) - Backlog.estimate(small));
    }
}
