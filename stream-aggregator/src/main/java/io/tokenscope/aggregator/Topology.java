package io.tokenscope.aggregator;

import io.tokenscope.aggregator.deadletter.Decoded;
import io.tokenscope.aggregator.deadletter.TelemetryDecoder;
import io.tokenscope.aggregator.request.RequestMetricsProcessor;
import io.tokenscope.aggregator.request.RequestState;
import io.tokenscope.aggregator.window.RunTotal;
import io.tokenscope.aggregator.window.WindowAccumulator;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Telemetry (keyed by request id) → decoded events, or the dead-letter topic → per-request metrics → tumbling windows per
 * (run, scenario, round, concurrency, endpoint, model). Each window emits every update with a
 * growing version; storage keeps the newest, so a window is live while it fills and final after.
 */
public final class Topology {
    private static final char SEP = '\u001f';

    private Topology() {}

    public static org.apache.kafka.streams.Topology build(AggregatorConfig config,
                                                          Function<byte[], SpecificRecord> decodeTelemetry,
                                                          Serde<RequestMetrics> metricsSerde,
                                                          Serde<WindowAggregate> windowSerde) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SpecificRecord> events = decodeOrDeadLetter(builder, config, decodeTelemetry);
        KStream<String, RequestMetrics> metrics = requestMetrics(builder, events, config.idleTimeoutMs());
        metrics.to(config.metricsTopic(), Produced.with(Serdes.String(), metricsSerde));
        windows(metrics, config, metricsSerde).to(config.windowTopic(), Produced.with(Serdes.String(), windowSerde));
        runTotals(metrics, config, metricsSerde).to(config.runTotalsTopic(), Produced.with(Serdes.String(), windowSerde));
        return builder.build();
    }

    /** Telemetry as requests' events; every other record goes to the dead-letter topic, as it was. */
    static KStream<String, SpecificRecord> decodeOrDeadLetter(StreamsBuilder builder, AggregatorConfig config,
                                                              Function<byte[], SpecificRecord> decode) {
        Map<String, KStream<String, Decoded>> routes = builder
                .stream(config.telemetryTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new TelemetryDecoder(decode))
                .split(Named.as("telemetry-"))
                .branch((id, d) -> d instanceof Decoded.Undecodable, Branched.as("undecodable"))
                .defaultBranch(Branched.as("events"));
        routes.get("telemetry-undecodable")
                .map((none, d) -> KeyValue.pair(((Decoded.Undecodable) d).key(), ((Decoded.Undecodable) d).value()))
                .to(config.deadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return routes.get("telemetry-events").mapValues(d -> ((Decoded.Event) d).event());
    }

    static KStream<String, RequestMetrics> requestMetrics(StreamsBuilder builder, KStream<String, SpecificRecord> events,
                                                          long idleTimeoutMs) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RequestMetricsProcessor.STORE),
                Serdes.String(), RequestState.serde()));
        return events.process(() -> new RequestMetricsProcessor(idleTimeoutMs), RequestMetricsProcessor.STORE);
    }

    /** Every update of a window, keyed by its configuration and start. */
    static KStream<String, WindowAggregate> windows(KStream<String, RequestMetrics> metrics, AggregatorConfig config,
                                                    Serde<RequestMetrics> metricsSerde) {
        return metrics.selectKey((id, m) -> groupKey(m))
                .groupByKey(Grouped.with("by-configuration", Serdes.String(), metricsSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(config.windowMs()),
                        Duration.ofMillis(config.graceMs())))
                .aggregate(WindowAccumulator::new, (key, m, acc) -> acc.add(m, config.slo()),
                        Materialized.<String, WindowAccumulator, WindowStore<Bytes, byte[]>>as("windows")
                                .withKeySerde(Serdes.String()).withValueSerde(WindowAccumulator.serde()))
                .toStream()
                .map((window, acc) -> KeyValue.pair(window.key() + SEP + window.window().start(),
                        acc.toAggregate(window.window().start(), window.window().end())));
    }

    /** Every update of a configuration's whole-run totals, keyed by the configuration. */
    static KStream<String, WindowAggregate> runTotals(KStream<String, RequestMetrics> metrics, AggregatorConfig config,
                                                      Serde<RequestMetrics> metricsSerde) {
        return metrics.selectKey((id, m) -> groupKey(m))
                .groupByKey(Grouped.with("by-configuration-run", Serdes.String(), metricsSerde))
                .aggregate(RunTotal::new, (key, m, total) -> total.add(m, config.slo()),
                        Materialized.<String, RunTotal, org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]>>as(
                                "run-totals").withKeySerde(Serdes.String()).withValueSerde(RunTotal.serde()))
                .toStream()
                .mapValues(RunTotal::toAggregate);
    }

    static String groupKey(RequestMetrics m) {
        return m.getRunId() + SEP + m.getScenario() + SEP + m.getRound() + SEP + m.getConcurrency() + SEP
                + m.getEndpoint() + SEP + m.getModel();
    }
}
