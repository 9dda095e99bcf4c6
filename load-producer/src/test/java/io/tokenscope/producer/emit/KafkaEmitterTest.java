package io.tokenscope.producer.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KafkaEmitterTest {
    @Test
    void aGiantChunksTextIsCutSoItsEventStillFitsInAKafkaRecord() {
        String normal = "x".repeat(KafkaEmitter.MAX_TEXT_CHARS);
        assertSame(normal, KafkaEmitter.capped(normal));
        String giant = "y".repeat(1 << 20);
        String cut = KafkaEmitter.capped(giant);
        assertTrue(cut.length() < 70_000, "length " + cut.length());
        assertTrue(cut.endsWith("[cut by tokenscope from 1048576 chars]"), cut.substring(cut.length() - 60));
        assertEquals(giant.substring(0, 100), cut.substring(0, 100));
    }
}
