package io.tokenscope.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The flags a child JVM needs to run as this one does: its collector, and the access grants
     * that newer JDKs otherwise warn about at start-up (Netty's Unsafe and native-library use).
     */
    public static List<String> flagsForChild() {
        List<String> flags = new ArrayList<>(List.of(collectorFlag()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--enable-native-access=") || arg.startsWith("--sun-misc-unsafe-memory-access="))
                .forEach(flags::add);
        return flags;
    }

    public static String describe() {
        return String.format(Locale.ROOT, "bench JVM: Java %s (%s), %s, max heap %,d MiB", Runtime.version(),
                System.getProperty("java.vm.vendor"), collectorFlag(), Runtime.getRuntime().maxMemory() >> 20);
    }
}
