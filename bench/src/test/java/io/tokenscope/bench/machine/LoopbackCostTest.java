package io.tokenscope.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoopbackCostTest {
    @Test
    void flagsAreCheckedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> LoopbackCost.Options.parse(new String[] {"--messages", "10"}));
        assertTrue(e.getMessage().contains("--messages"), e.getMessage());
        assertEquals(new LoopbackCost.Options(200_000, 200), LoopbackCost.Options.parse(new String[0]));
    }

    @Test
    void reportsBothTestsOverRealLoopbackSockets() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoopbackCost.run(new LoopbackCost.Options(2_000, 200));
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("one-way: 2,000 writes of 200 bytes"), out);
        assertTrue(out.contains("ping-pong: 2,000 one-byte round trips"), out);
    }
}
