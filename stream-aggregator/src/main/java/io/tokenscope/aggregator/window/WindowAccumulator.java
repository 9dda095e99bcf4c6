package io.tokenscope.aggregator.window;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.aggregator.Labels;
import io.tokenscope.aggregator.Sketches;
import io.tokenscope.aggregator.request.RequestState;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Running totals of the requests that ended in one window, with KLL sketches (microseconds, see
 * {@link Sketches} for the rank error) of TTFT and every inter-token gap, and of the server's
 * prefix-cache counter growth sampled in it. The sketches go out with the window, so stored
 * windows merge into any range without the raw events.
 */
public final class WindowAccumulator {
    /** 2: before incomplete requests and server counters were kept; still read, as zero and none. */
    private static final byte FORMAT_2 = 2;
    /** 3: before requests reporting cached tokens were counted; still read, as all of them reporting. */
    private static final byte FORMAT_3 = 3;
    private static final byte FORMAT = 4;

    Labels labels = Labels.UNKNOWN;
    long version, requests, successes, good, outputTokens, promptTokens, cachedTokens, incomplete;
    /**
     * Successes whose usage reported cached tokens. A server that does not report them (vLLM
     * without --enable-prompt-tokens-details) has an unknown hit rate, not a hit rate of 0.
     */
    long cacheReported;
    /** NaN until a server sample lands in the window. */
    double serverQueried = Double.NaN, serverHits = Double.NaN;
    KllFloatsSketch ttftUs = Sketches.empty();
    KllFloatsSketch itlUs = Sketches.empty();

    public WindowAccumulator add(WindowInput input, AggregatorConfig.Slo slo) {
        if (labels == Labels.UNKNOWN) {
            labels = input.labels();
        }
        version++;
        if (input instanceof WindowInput.Request r) {
            add(r.metrics(), slo);
        } else if (input instanceof WindowInput.ServerCache c) {
            serverQueried = (Double.isNaN(serverQueried) ? 0 : serverQueried) + c.queriedTokens();
            serverHits = (Double.isNaN(serverHits) ? 0 : serverHits) + c.hitTokens();
        }
        return this;
    }

    private void add(RequestMetrics m, AggregatorConfig.Slo slo) {
        requests++;
        if (RequestState.INCOMPLETE.equals(m.getStatus())) {
            incomplete++;
        }
        if ("ok".equals(m.getStatus())) {
            successes++;
            // From the intended start: a request an open loop held back met its SLO only if the
            // wait did not use it up (coordinated omission would count it good).
            double lag = m.getScheduleLagMs();
            if (slo.met(m.getTtftMs() == null ? null : m.getTtftMs() + lag, m.getTpotMs(), m.getE2eMs() + lag)) {
                good++;
            }
            outputTokens += m.getOutputTokens();
            promptTokens += m.getPromptTokens() == null ? 0 : m.getPromptTokens();
            if (m.getCachedTokens() != null) {
                cachedTokens += m.getCachedTokens();
                cacheReported++;
            }
            if (m.getTtftMs() != null) {
                ttftUs.update((float) Math.max(0, m.getTtftMs() * 1000));
            }
            if (m.getItlSketch() != null) {
                itlUs.merge(Sketches.fromBytes(m.getItlSketch()));
            }
        }
    }

    public WindowAggregate toAggregate(long windowStartMs, long windowEndMs) {
        double seconds = (windowEndMs - windowStartMs) / 1000.0;
        return new WindowAggregate(labels.runId(), labels.scenario(), labels.round(), labels.concurrency(),
                labels.endpoint(), labels.model(),
                Instant.ofEpochMilli(windowStartMs), Instant.ofEpochMilli(windowEndMs), version, requests, successes,
                good, outputTokens, promptTokens, cachedTokens, pct(ttftUs, 50), pct(ttftUs, 90), pct(ttftUs, 99),
                pct(itlUs, 50), pct(itlUs, 90), pct(itlUs, 99), outputTokens / seconds, good / seconds,
                cacheReported > 0 && promptTokens > 0 ? (double) cachedTokens / promptTokens : null, Sketches.toBytes(ttftUs),
                Sketches.toBytes(itlUs), incomplete, orNull(serverQueried), orNull(serverHits),
                serverQueried > 0 ? serverHits / serverQueried : null);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static Double pct(KllFloatsSketch sketch, double p) {
        return sketch.isEmpty() ? null : sketch.getQuantile(p / 100) / 1000.0;
    }

    public static Serde<WindowAccumulator> serde() {
        Serializer<WindowAccumulator> ser = (topic, a) -> a == null ? null : a.toBytes();
        Deserializer<WindowAccumulator> de = (topic, b) -> b == null ? null : fromBytes(b);
        return Serdes.serdeFrom(ser, de);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            labels.write(out);
            for (long v : new long[] {version, requests, successes, good, outputTokens, promptTokens, cachedTokens,
                    incomplete}) {
                out.writeLong(v);
            }
            out.writeDouble(serverQueried);
            out.writeDouble(serverHits);
            out.writeLong(cacheReported);
            writeSketch(out, ttftUs);
            writeSketch(out, itlUs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static WindowAccumulator fromBytes(byte[] b) {
        WindowAccumulator a = new WindowAccumulator();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_3 && format != FORMAT_2) {
                throw new IllegalStateException("window state format " + format + " is unknown to this build");
            }
            a.labels = Labels.read(in);
            a.version = in.readLong();
            a.requests = in.readLong();
            a.successes = in.readLong();
            a.good = in.readLong();
            a.outputTokens = in.readLong();
            a.promptTokens = in.readLong();
            a.cachedTokens = in.readLong();
            if (format != FORMAT_2) {
                a.incomplete = in.readLong();
                a.serverQueried = in.readDouble();
                a.serverHits = in.readDouble();
            }
            a.cacheReported = format == FORMAT ? in.readLong() : a.successes;
            a.ttftUs = readSketch(in);
            a.itlUs = readSketch(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }

    private static void writeSketch(DataOutputStream out, KllFloatsSketch sketch) throws IOException {
        byte[] bytes = sketch.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static KllFloatsSketch readSketch(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return Sketches.fromBytes(bytes);
    }
}
