package io.tokenscope.aggregator;

import java.nio.ByteBuffer;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Quantile sketches of latencies in microseconds: Apache DataSketches KLL, floats, k = 200.
 * KLL merges without losing its error bound, so a request's gaps merge into its window and
 * stored windows merge into any range. Below 200 values a sketch holds every value exactly;
 * beyond, a quantile's true rank is within {@link #RANK_ERROR} (1.33 %) of the rank asked for,
 * with 99 % confidence, whatever the distribution. Floats are exact for whole microseconds up
 * to 16.7 s and within 1e-7 relative beyond, and take half the bytes of doubles.
 */
public final class Sketches {
    public static final int K = 200;
    public static final double RANK_ERROR = KllSketch.getNormalizedRankError(K, false);

    private Sketches() {}

    /**
     * Fails at start-up, with the library's reason, when DataSketches cannot run on this JDK.
     * Its memory layer (datasketches-memory 3.0) checks the Java version on first use and accepts
     * only 8, 11, 17 and 21. Found only later, that check would kill each stream thread at its
     * first record, and the replacement threads too, while nothing got aggregated.
     */
    public static void requireUsableOnThisJdk() {
        requireUsable(() -> {
            KllFloatsSketch probe = empty();
            probe.update(1f);
            fromBytes(toBytes(probe));
        });
    }

    static void requireUsable(Runnable roundTrip) {
        try {
            roundTrip.run();
        } catch (LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalStateException("the quantile sketches (Apache DataSketches) cannot run on Java "
                    + Runtime.version() + ": " + root.getMessage()
                    + "; run the aggregator on a JDK the message names (JAVA_HOME)", e);
        }
    }

    public static KllFloatsSketch empty() {
        return KllFloatsSketch.newHeapInstance(K);
    }

    /** DataSketches' own serial form, readable by its Java, C++ and Python libraries. */
    public static ByteBuffer toBytes(KllFloatsSketch sketch) {
        return ByteBuffer.wrap(sketch.toByteArray());
    }

    public static KllFloatsSketch fromBytes(byte[] bytes) {
        return KllFloatsSketch.heapify(Memory.wrap(bytes));
    }

    public static KllFloatsSketch fromBytes(ByteBuffer bytes) {
        return fromBytes(bytes(bytes));
    }

    /** The buffer's remaining bytes, leaving the buffer as it was. */
    public static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return copy;
    }

    /** One sketch of everything the given serialized sketches saw, e.g. stored windows of a range. */
    public static KllFloatsSketch merge(Iterable<byte[]> sketches) {
        KllFloatsSketch all = empty();
        for (byte[] s : sketches) {
            all.merge(fromBytes(s));
        }
        return all;
    }
}
