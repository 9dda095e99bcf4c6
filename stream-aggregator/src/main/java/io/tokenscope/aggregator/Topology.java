package io.tokenscope.aggregator;

import io.tokenscope.aggregator.request.RequestMetricsProcessor;
import io.tokenscope.aggregator.request.RequestState;
import io.tokenscope.aggregator.window.WindowAccumulator;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

/**
 * Telemetry (keyed by request id) → per-request metrics → tumbling windows per
 * (run, scenario, round, concurrency, endpoint, model). Each window emits every update with a
 * growing version; storage keeps the newest, so a window is live while it fills and final after.
 */
public final class Topology {
    private static final char SEP = '\u001f';

    private Topology() {}

    public static org.apache.kafka.streams.Topology build(AggregatorConfig config, Serde<SpecificRecord> telemetry,
                                                          Serde<RequestMetrics> metricsSerde,
                                                          Serde<WindowAggregate> windowSerde) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RequestMetricsProcessor.STORE),
                Serdes.String(), RequestState.serde()));

        KStream<String, RequestMetrics> metrics = builder
                .stream(config.telemetryTopic(), Consumed.with(Serdes.String(), telemetry))
                .process(() -> new RequestMetricsProcessor(config.idleTimeoutMs()), RequestMetricsProcessor.STORE);
        metrics.to(config.metricsTopic(), Produced.with(Serdes.String(), metricsSerde));

        metrics.selectKey((id, m) -> groupKey(m))
                .groupByKey(Grouped.with("by-configuration", Serdes.String(), metricsSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(config.windowMs()),
                        Duration.ofMillis(config.graceMs())))
                .aggregate(WindowAccumulator::new, (key, m, acc) -> acc.add(m, config.slo()),
                        Materialized.<String, WindowAccumulator, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("windows")
                                .withKeySerde(Serdes.String()).withValueSerde(WindowAccumulator.serde()))
                .toStream()
                .map((window, acc) -> KeyValue.pair(window.key() + SEP + window.window().start(),
                        acc.toAggregate(window.window().start(), window.window().end())))
                .to(config.windowTopic(), Produced.with(Serdes.String(), windowSerde));
        return builder.build();
    }

    static String groupKey(RequestMetrics m) {
        return m.getRunId() + SEP + m.getScenario() + SEP + m.getRound() + SEP + m.getConcurrency() + SEP
                + m.getEndpoint() + SEP + m.getModel();
    }
}
