package io.tokenscope.aggregator.server;

import io.tokenscope.aggregator.Labels;
import io.tokenscope.aggregator.window.WindowInput;
import io.tokenscope.schemas.ServerMetricSample;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the server's cumulative prefix-cache counters, sampled by the producer at a round's
 * start, every scrape interval and its end, into the growth between consecutive samples of one
 * configuration, timestamped at the later sample, so the window holding that sample counts it.
 * The growths of a round add up to its end sample minus its start sample: the per-round rate the
 * producer reports, split over the windows. A counter that went down means the server
 * restarted; as Prometheus' rate() does, the new value is then taken as the growth.
 *
 * <p>Samples arrive keyed by run id, so one configuration's are in order on one partition. The
 * last sample is kept per configuration until the round's end sample, then forgotten.
 */
public final class CounterGrowth implements Processor<String, ServerMetricSample, String, WindowInput> {
    public static final String STORE = "server-last-sample";
    public static final String ROUND_END = "round_end";

    private ProcessorContext<String, WindowInput> context;
    private KeyValueStore<String, double[]> last;

    @Override
    public void init(ProcessorContext<String, WindowInput> context) {
        this.context = context;
        this.last = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ServerMetricSample> record) {
        ServerMetricSample s = record.value();
        // A NaN counter would make every later growth NaN too, and a window's sum with it.
        if (s.getPrefixCacheQueries() == null || s.getPrefixCacheHits() == null
                || !Double.isFinite(s.getPrefixCacheQueries()) || !Double.isFinite(s.getPrefixCacheHits())) {
            return;
        }
        Labels labels = new Labels(s.getRunId(), s.getScenario(), s.getRound(), s.getConcurrency(), s.getEndpoint(),
                s.getModel());
        String key = labels.key();
        double[] now = {s.getPrefixCacheQueries(), s.getPrefixCacheHits()};
        double[] before = last.get(key);
        if (ROUND_END.equals(s.getPhase())) {
            last.delete(key);
        } else {
            last.put(key, now);
        }
        if (before != null) {
            boolean restarted = now[0] < before[0] || now[1] < before[1];
            double queried = restarted ? now[0] : now[0] - before[0];
            double hits = restarted ? now[1] : now[1] - before[1];
            context.forward(new Record<>(key, new WindowInput.ServerCache(labels, queried, hits),
                    s.getWallUs().toEpochMilli()));
        }
    }

    public static Serde<double[]> counterSerde() {
        Serializer<double[]> ser = (topic, v) -> v == null ? null
                : ByteBuffer.allocate(16).putDouble(v[0]).putDouble(v[1]).array();
        Deserializer<double[]> de = (topic, b) -> {
            if (b == null) return null;
            ByteBuffer in = ByteBuffer.wrap(b);
            return new double[] {in.getDouble(), in.getDouble()};
        };
        return Serdes.serdeFrom(ser, de);
    }
}
