package io.tokenscope.aggregator.request;

import io.tokenscope.aggregator.Labels;
import io.tokenscope.aggregator.Sketches;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestMetrics;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the aggregator knows about one open request: its labels, when it started, and running
 * figures of its text chunks. It is serialized into the state store on every chunk, and the store
 * passes the newest copy to its changelog at each commit, so it stays bounded however long the
 * stream: request-level figures (TTFT, mean ITL, TPOT) need only the first and last arrival,
 * since the gaps between consecutive chunks add up to their difference, and the gaps'
 * distribution is kept for the window percentiles: the gaps themselves up to 200, then a KLL
 * sketch of a few KB at most ({@link ItlGaps}).
 */
public final class RequestState {
    private static final byte FORMAT = 4;
    /** Builds before this one always serialized the gaps' sketch. */
    private static final byte FORMAT_SKETCH = 3;
    /** Builds before 4607bf4 kept every gap, not a sketch of them. */
    private static final byte FORMAT_GAP_LIST = 2;
    public static final String INCOMPLETE = "incomplete";
    static final String IDLE_TIMEOUT = "idle_timeout";

    Labels labels = Labels.UNKNOWN;
    /** The labels as serialized, kept since every chunk writes the state and the labels rarely change. */
    private byte[] labelBytes;
    long startWallUs = -1;
    long firstNs = -1;
    long lastNs;
    int chunks;
    int tokens;
    ItlGaps itlUs = new ItlGaps();
    /** When this instance last saw an event of the request (processing wall clock, ms). */
    long lastSeenMs;
    /** When the request was closed as incomplete, or -1 while it is open. */
    long closedAtMs = -1;

    /** What is left of a request closed as incomplete: enough to recognise its late events. */
    static RequestState closedAt(long ms) {
        RequestState s = new RequestState();
        s.closedAtMs = ms;
        return s;
    }

    boolean closed() {
        return closedAtMs >= 0;
    }

    void label(String runId, String scenario, int round, int concurrency, String endpoint, String model) {
        labels = new Labels(runId, scenario, round, concurrency, endpoint, model);
        labelBytes = null;
    }

    /** Records a text chunk; returns false for a chunk already counted (a replayed duplicate). */
    boolean chunk(int chunkIndex, long arrivalNs, int tokensInChunk) {
        if (chunkIndex < chunks) {
            return false;
        }
        if (chunks == 0) {
            firstNs = arrivalNs;
        } else {
            itlUs.add(Math.max(0, (arrivalNs - lastNs) / 1000));
        }
        lastNs = arrivalNs;
        chunks++;
        tokens += tokensInChunk;
        return true;
    }

    RequestMetrics finish(RequestFinished f) {
        int outputTokens = f.getCompletionTokens() != null ? f.getCompletionTokens() : tokens;
        long endWallUs = micros(f.getWallUs());
        long startUs = startWallUs >= 0 ? startWallUs : endWallUs - f.getEndNs() / 1000;
        return new RequestMetrics(f.getRunId(), f.getRequestId(), f.getScenario(), f.getRound(), f.getConcurrency(),
                f.getEndpoint(), f.getModel(), f.getStatus(), f.getHttpStatus(), f.getErrorClass(), instant(startUs),
                instant(endWallUs), ttftMs(), meanItlMs(), tpotMs(outputTokens), f.getEndNs() / 1e6, chunks,
                outputTokens, f.getPromptTokens(), f.getCachedTokens(), itlSketch(), f.getScheduleLagNs() / 1e6);
    }

    /**
     * The metrics of a request whose end never came, from what was measured up to its last
     * chunk: its end is that chunk's arrival (or its start, without chunks), tokens are those
     * counted, and what only the end carries (HTTP status, usage) is unknown.
     */
    RequestMetrics incomplete(String requestId) {
        long endNs = chunks > 0 ? lastNs : 0;
        long startUs = Math.max(0, startWallUs);
        return new RequestMetrics(labels.runId(), requestId, labels.scenario(), labels.round(), labels.concurrency(),
                labels.endpoint(), labels.model(), INCOMPLETE, 0, IDLE_TIMEOUT, instant(startUs),
                instant(startUs + endNs / 1000), ttftMs(), meanItlMs(), tpotMs(tokens), endNs / 1e6, chunks, tokens,
                null, null, itlSketch(), 0.0);
    }

    private Double ttftMs() {
        return chunks > 0 ? firstNs / 1e6 : null;
    }

    private Double meanItlMs() {
        return chunks > 1 ? (lastNs - firstNs) / 1e6 / (chunks - 1) : null;
    }

    private Double tpotMs(int outputTokens) {
        return outputTokens > 1 && chunks > 0 ? (lastNs - firstNs) / 1e6 / (outputTokens - 1) : null;
    }

    private ByteBuffer itlSketch() {
        return itlUs.count() == 0 ? null : Sketches.toBytes(itlUs.sketch());
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static Serde<RequestState> serde() {
        Serializer<RequestState> ser = (topic, s) -> s == null ? null : s.toBytes();
        Deserializer<RequestState> de = (topic, b) -> b == null ? null : fromBytes(b);
        return Serdes.serdeFrom(ser, de);
    }

    byte[] toBytes() {
        if (labelBytes == null) {
            labelBytes = labels.toBytes();
        }
        ByteBuffer out = ByteBuffer.allocate(1 + labelBytes.length + 5 * Long.BYTES + 2 * Integer.BYTES
                + itlUs.serializedSize());
        out.put(FORMAT).put(labelBytes).putLong(startWallUs).putLong(firstNs).putLong(lastNs).putInt(chunks)
                .putInt(tokens).putLong(lastSeenMs).putLong(closedAtMs);
        itlUs.writeTo(out);
        return out.array();
    }

    static RequestState fromBytes(byte[] b) {
        RequestState s = new RequestState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_SKETCH && format != FORMAT_GAP_LIST) {
                throw new IllegalStateException("request state format " + format + " is unknown to this build");
            }
            s.labels = Labels.read(in);
            s.startWallUs = in.readLong();
            s.firstNs = in.readLong();
            s.lastNs = in.readLong();
            s.chunks = in.readInt();
            s.tokens = in.readInt();
            if (format == FORMAT_GAP_LIST) {
                // Every gap in microseconds, then the two times: open requests of a store an
                // upgrade finds, whose gaps now go into the sketch.
                int gaps = in.readInt();
                for (int i = 0; i < gaps; i++) s.itlUs.add(in.readInt());
                s.lastSeenMs = in.readLong();
                s.closedAtMs = in.readLong();
                return s;
            }
            s.lastSeenMs = in.readLong();
            s.closedAtMs = in.readLong();
            if (format == FORMAT_SKETCH) {
                byte[] sketch = new byte[in.readInt()];
                in.readFully(sketch);
                s.itlUs = ItlGaps.ofSketch(Sketches.fromBytes(sketch));
            } else {
                s.itlUs = ItlGaps.readFrom(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }
}
