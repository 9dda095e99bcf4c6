package io.tokenscope.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AggregatorConfigTest {
    @Test
    void idleTimeoutDefaultsToFiveMinutes() {
        assertEquals(300_000, AggregatorConfig.parse(new String[0]).idleTimeoutMs());
        assertEquals(2_500, AggregatorConfig.parse(new String[] {"--idle-timeout-s", "2.5"}).idleTimeoutMs());
    }

    @Test
    void idleTimeoutUnderASecondIsRefusedNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AggregatorConfig.parse(new String[] {"--idle-timeout-s", "0"}));
        assertTrue(e.getMessage().contains("--idle-timeout-s must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AggregatorConfig.parse(new String[] {"--idle-timeout-s", "soon"}));
        assertTrue(e.getMessage().contains("--idle-timeout-s"), e.getMessage());
    }

    @Test
    void sinkBatchBytesAreBoundedNamingTheFlag() {
        assertEquals(64, AggregatorConfig.parse(new String[0]).sinkBatchMb());
        assertEquals(200_000, AggregatorConfig.parse(new String[0]).sinkBatchRows());
        for (String mb : new String[] {"0", "513"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AggregatorConfig.parse(new String[] {"--sink-batch-mb", mb}));
            assertTrue(e.getMessage().contains("--sink-batch-mb must be 1..512, got " + mb), e.getMessage());
        }
    }
}
