package io.tokenscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static final Set<String> KNOWN = Set.of("--port", "--rate", "--fault", "--concurrency", "--name");

    @Test
    void typedValuesLastWinsRepeatsKeptGreedyLists() {
        Flags f = Flags.parse(new String[] {"--port", "80", "--port", "81", "--fault", "a", "--fault", "b",
            "--concurrency", "1", "5", "all", "--rate", "2.5"}, "usage", KNOWN, Set.of("--concurrency"));
        assertEquals(81, f.whole("--port", 0));
        assertEquals(List.of("a", "b"), f.all("--fault"));
        assertEquals(List.of("1", "5", "all"), f.all("--concurrency"));
        assertEquals(2.5, f.number("--rate", 0));
        assertEquals("x", f.text("--name", "x"));
        assertNull(f.numberOrNull("--name"));
    }

    @Test
    void errorsNameTheFlag() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(new String[] {"--nope", "1"}, "USAGE", KNOWN)).getMessage()
                .startsWith("unknown flag --nope\nUSAGE"));
        assertEquals("--port needs a value", assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(new String[] {"--port"}, "u", KNOWN)).getMessage());
        Flags f = Flags.parse(new String[] {"--port", "eighty", "--rate", "fast"}, "u", KNOWN);
        assertEquals("--port must be a whole number, got 'eighty'",
                assertThrows(IllegalArgumentException.class, () -> f.whole("--port", 0)).getMessage());
        assertEquals("--rate must be a number, got 'fast'",
                assertThrows(IllegalArgumentException.class, () -> f.number("--rate", 0)).getMessage());
        Flags b = Flags.parse(new String[] {"--name", "yes", "--fault", "TRUE"}, "u", KNOWN);
        assertEquals("--name must be true or false, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> b.bool("--name", false)).getMessage());
        assertTrue(b.bool("--fault", false));
        assertTrue(b.bool("--port", true), "absent: the default");
        assertEquals("USAGE", assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(new String[] {"--help"}, "USAGE", KNOWN)).getMessage());
    }

    @Test
    void aFlagWithoutItsValueIsNamedNotTheFlagAfterIt() {
        assertEquals("--port needs a value", assertThrows(IllegalArgumentException.class,
                () -> Flags.parse(new String[] {"--port", "--rate", "3"}, "u", KNOWN)).getMessage());
    }

    @Test
    void nanAndInfinityAreRefusedNamingTheFlag() {
        for (String v : new String[] {"NaN", "Infinity", "-Infinity"}) {
            Flags f = Flags.parse(new String[] {"--rate", v}, "u", KNOWN);
            assertEquals("--rate must be a finite number, got '" + v + "'",
                    assertThrows(IllegalArgumentException.class, () -> f.number("--rate", 0)).getMessage());
        }
    }
}
