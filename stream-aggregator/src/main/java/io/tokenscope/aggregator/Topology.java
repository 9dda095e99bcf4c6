package io.tokenscope.aggregator;

import io.tokenscope.aggregator.deadletter.Decoded;
import io.tokenscope.aggregator.deadletter.TelemetryDecoder;
import io.tokenscope.aggregator.request.RequestMetricsProcessor;
import io.tokenscope.aggregator.request.RequestState;
import io.tokenscope.aggregator.server.CounterGrowth;
import io.tokenscope.aggregator.window.RunTotal;
import io.tokenscope.aggregator.window.WindowAccumulator;
import io.tokenscope.aggregator.window.WindowInput;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.WindowAggregate;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * Telemetry → decoded events, or the dead-letter topic. Requests' events (keyed by request id) →
 * per-request metrics; the server's counter samples (keyed by run id) → their growth between
 * samples. Both → tumbling windows and run totals per (run, scenario, round, concurrency,
 * endpoint, model). Each window emits every update with a growing version; storage keeps the
 * newest, so a window is live while it fills and final after.
 */
public final class Topology {
    private Topology() {}

    public static org.apache.kafka.streams.Topology build(AggregatorConfig config,
                                                          Supplier<Function<byte[], SpecificRecord>> telemetryReaders,
                                                          Serde<RequestMetrics> metricsSerde,
                                                          Serde<WindowAggregate> windowSerde) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, SpecificRecord>> decoded = decodeOrDeadLetter(builder, config, telemetryReaders)
                .split(Named.as("decoded-"))
                .branch((key, e) -> e instanceof ServerMetricSample, Branched.as("server"))
                .defaultBranch(Branched.as("requests"));
        KStream<String, RequestMetrics> metrics = requestMetrics(builder, decoded.get("decoded-requests"),
                config.idleTimeoutMs());
        metrics.to(config.metricsTopic(), Produced.with(Serdes.String(), metricsSerde));
        KStream<String, WindowInput> counted = metrics
                .map((id, m) -> {
                    WindowInput in = new WindowInput.Request(m);
                    return KeyValue.pair(in.labels().key(), in);
                })
                .merge(serverCacheGrowth(builder, decoded.get("decoded-server")
                        .mapValues(e -> (ServerMetricSample) e)));
        Serde<WindowInput> inputSerde = WindowInput.serde(metricsSerde);
        windows(counted, config, inputSerde).to(config.windowTopic(), Produced.with(Serdes.String(), windowSerde));
        runTotals(counted, config, inputSerde).to(config.runTotalsTopic(), Produced.with(Serdes.String(), windowSerde));
        return builder.build();
    }

    /**
     * Telemetry as requests' events; every other record goes to the dead-letter topic, as it was.
     * Each task gets a reader of its own, so a reader may keep state between records.
     */
    static KStream<String, SpecificRecord> decodeOrDeadLetter(StreamsBuilder builder, AggregatorConfig config,
                                                              Supplier<Function<byte[], SpecificRecord>> readers) {
        Map<String, KStream<String, Decoded>> routes = builder
                .stream(config.telemetryTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new TelemetryDecoder(readers.get()))
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
        // Cached: a request's state changes on every token, but RocksDB and the changelog need only
        // its newest copy at each commit, which the cache flushes before the transaction commits.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RequestMetricsProcessor.STORE),
                Serdes.String(), RequestState.serde()).withCachingEnabled());
        return events.process(() -> new RequestMetricsProcessor(idleTimeoutMs), RequestMetricsProcessor.STORE);
    }

    /** Growth of the server's cache counters between samples, keyed by configuration. */
    static KStream<String, WindowInput> serverCacheGrowth(StreamsBuilder builder,
                                                          KStream<String, ServerMetricSample> samples) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CounterGrowth.STORE),
                Serdes.String(), CounterGrowth.counterSerde()));
        return samples.process(CounterGrowth::new, CounterGrowth.STORE);
    }

    /** Every update of a window, keyed by its configuration and start. */
    static KStream<String, WindowAggregate> windows(KStream<String, WindowInput> counted, AggregatorConfig config,
                                                    Serde<WindowInput> inputSerde) {
        return counted
                .groupByKey(Grouped.with("by-configuration", Serdes.String(), inputSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(config.windowMs()),
                        Duration.ofMillis(config.graceMs())))
                .aggregate(WindowAccumulator::new, (key, in, acc) -> acc.add(in, config.slo()),
                        Materialized.<String, WindowAccumulator, WindowStore<Bytes, byte[]>>as("windows")
                                .withKeySerde(Serdes.String()).withValueSerde(WindowAccumulator.serde()))
                .toStream()
                .map((window, acc) -> KeyValue.pair(window.key() + Labels.SEP + window.window().start(),
                        acc.toAggregate(window.window().start(), window.window().end())));
    }

    /** Every update of a configuration's whole-run totals, keyed by the configuration. */
    static KStream<String, WindowAggregate> runTotals(KStream<String, WindowInput> counted, AggregatorConfig config,
                                                      Serde<WindowInput> inputSerde) {
        return counted
                .groupByKey(Grouped.with("by-configuration-run", Serdes.String(), inputSerde))
                .aggregate(RunTotal::new, (key, in, total) -> total.add(in, config.slo()),
                        Materialized.<String, RunTotal, org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]>>as(
                                "run-totals").withKeySerde(Serdes.String()).withValueSerde(RunTotal.serde()))
                .toStream()
                .mapValues(RunTotal::toAggregate)
                .filter((key, total) -> total != null);
    }
}
