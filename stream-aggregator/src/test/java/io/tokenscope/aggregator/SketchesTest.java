package io.tokenscope.aggregator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SketchesTest {
    @Test
    void theSketchesRoundTripOnTheJdkTheTestsRunOn() {
        assertDoesNotThrow(Sketches::requireUsableOnThisJdk);
    }

    @Test
    void aJdkTheLibraryRefusesIsAStartUpErrorWithItsReason() {
        // What datasketches-memory 3.0.2 throws on Java 25: its version check fails in a static initializer.
        ExceptionInInitializerError refused = new ExceptionInInitializerError(new IllegalArgumentException(
                "Unsupported JDK Major Version. It must be one of 1.8, 8, 11, 17, 21: 25.0.3"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Sketches.requireUsable(() -> { throw refused; }));
        assertTrue(e.getMessage().startsWith("the quantile sketches (Apache DataSketches) cannot run on Java "
                + Runtime.version() + ": Unsupported JDK Major Version. It must be one of 1.8, 8, 11, 17, 21: 25.0.3;"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(JAVA_HOME)"), e.getMessage());
        assertSame(refused, e.getCause());
    }

    @Test
    void otherFailuresAreNotDisguisedAsAJdkProblem() {
        IllegalArgumentException bug = new IllegalArgumentException("not a sketch");
        assertEquals(bug, assertThrows(IllegalArgumentException.class, () -> Sketches.requireUsable(() -> { throw bug; })));
    }
}
