package io.tokenscope.aggregator.window;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.schemas.WindowAggregate;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One configuration's totals over its whole run: a window without bounds, whose span runs from
 * the first request's start to the last request's end, so its rates are the run's. It emits the
 * same record as a window; storage keeps its newest version.
 */
public final class RunTotal {
    private long firstStartMs = Long.MAX_VALUE;
    private long lastEndMs = Long.MIN_VALUE;
    private WindowAccumulator totals = new WindowAccumulator();

    /** Server samples add to the totals but not to the span, which is the requests'. */
    public RunTotal add(WindowInput input, AggregatorConfig.Slo slo) {
        if (input instanceof WindowInput.Request r) {
            firstStartMs = Math.min(firstStartMs, r.metrics().getStartWallUs().toEpochMilli());
            lastEndMs = Math.max(lastEndMs, r.metrics().getEndWallUs().toEpochMilli());
        }
        totals.add(input, slo);
        return this;
    }

    /** Before any request has ended (server samples only), the span is empty: none of its rates mean anything yet. */
    public WindowAggregate toAggregate() {
        if (firstStartMs == Long.MAX_VALUE) {
            return null;
        }
        return totals.toAggregate(firstStartMs, Math.max(lastEndMs, firstStartMs + 1));
    }

    public static Serde<RunTotal> serde() {
        Serializer<RunTotal> ser = (topic, t) -> {
            if (t == null) return null;
            byte[] acc = t.totals.toBytes();
            return ByteBuffer.allocate(16 + acc.length).putLong(t.firstStartMs).putLong(t.lastEndMs).put(acc).array();
        };
        Deserializer<RunTotal> de = (topic, b) -> {
            if (b == null) return null;
            ByteBuffer in = ByteBuffer.wrap(b);
            RunTotal t = new RunTotal();
            t.firstStartMs = in.getLong();
            t.lastEndMs = in.getLong();
            t.totals = WindowAccumulator.fromBytes(Arrays.copyOfRange(b, 16, b.length));
            return t;
        };
        return Serdes.serdeFrom(ser, de);
    }
}
