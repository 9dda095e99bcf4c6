package io.tokenscope.aggregator.window;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.aggregator.Labels;
import io.tokenscope.aggregator.Sketches;
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
 * {@link Sketches} for the rank error) of TTFT and every inter-token gap. The sketches go out
 * with the window, so stored windows merge into any range without the raw events.
 */
public final class WindowAccumulator {
    private static final byte FORMAT = 2;

    Labels labels = Labels.UNKNOWN;
    long version, requests, successes, good, outputTokens, promptTokens, cachedTokens;
    KllFloatsSketch ttftUs = Sketches.empty();
    KllFloatsSketch itlUs = Sketches.empty();

    public WindowAccumulator add(RequestMetrics m, AggregatorConfig.Slo slo) {
        if (labels == Labels.UNKNOWN) {
            labels = new Labels(m.getRunId(), m.getScenario(), m.getRound(), m.getConcurrency(), m.getEndpoint(),
                    m.getModel());
        }
        version++;
        requests++;
        if ("ok".equals(m.getStatus())) {
            successes++;
            if (slo.met(m.getTtftMs(), m.getTpotMs(), m.getE2eMs())) {
                good++;
            }
            outputTokens += m.getOutputTokens();
            promptTokens += m.getPromptTokens() == null ? 0 : m.getPromptTokens();
            cachedTokens += m.getCachedTokens() == null ? 0 : m.getCachedTokens();
            if (m.getTtftMs() != null) {
                ttftUs.update((float) Math.max(0, m.getTtftMs() * 1000));
            }
            if (m.getItlSketch() != null) {
                itlUs.merge(Sketches.fromBytes(m.getItlSketch()));
            }
        }
        return this;
    }

    public WindowAggregate toAggregate(long windowStartMs, long windowEndMs) {
        double seconds = (windowEndMs - windowStartMs) / 1000.0;
        return new WindowAggregate(labels.runId(), labels.scenario(), labels.round(), labels.concurrency(),
                labels.endpoint(), labels.model(),
                Instant.ofEpochMilli(windowStartMs), Instant.ofEpochMilli(windowEndMs), version, requests, successes,
                good, outputTokens, promptTokens, cachedTokens, pct(ttftUs, 50), pct(ttftUs, 90), pct(ttftUs, 99),
                pct(itlUs, 50), pct(itlUs, 90), pct(itlUs, 99), outputTokens / seconds, good / seconds,
                promptTokens > 0 ? (double) cachedTokens / promptTokens : null, Sketches.toBytes(ttftUs),
                Sketches.toBytes(itlUs));
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
            for (long v : new long[] {version, requests, successes, good, outputTokens, promptTokens, cachedTokens}) {
                out.writeLong(v);
            }
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
            if (format != FORMAT) {
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
