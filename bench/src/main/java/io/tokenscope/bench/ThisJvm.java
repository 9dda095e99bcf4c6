package io.tokenscope.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Which JDK and collector a bench ran on. The same build's timing figures differ between JDK
 * releases and collectors by more than between runs, so every bench report names them.
 */
public final class ThisJvm {
    private ThisJvm() {}

    /** The {@code -XX:+Use...GC} flag this JVM was started with; the JDK's default (G1) when there was none. */
    public static String collectorFlag() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.matches("-XX:\\+Use\\w+GC")).findFirst().orElse("-XX:+UseG1GC");
    }

    public static String describe() {
        return String.format(Locale.ROOT, "bench JVM: Java %s (%s), %s, max heap %,d MiB", Runtime.version(),
                System.getProperty("java.vm.vendor"), collectorFlag(), Runtime.getRuntime().maxMemory() >> 20);
    }
}
