package io.tokenscope.aggregator;

import io.tokenscope.aggregator.deadletter.TelemetryReader;
import io.tokenscope.aggregator.sink.ClickHouse;
import io.tokenscope.aggregator.sink.ClickHouseSink;
import io.tokenscope.kafka.Topics;
import io.tokenscope.registry.AvroSerde;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryException;
import io.tokenscope.registry.RegistryServer;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.WindowAggregate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running aggregator: checks its services, applies the DDL, then runs the Kafka Streams
 * topology and the ClickHouse sink side by side until closed.
 */
public final class Aggregator implements AutoCloseable {
    private final RegistryServer embeddedRegistry;
    private final KafkaStreams streams;
    private final ClickHouseSink sink;
    private final String registryUrl;

    private Aggregator(RegistryServer embeddedRegistry, KafkaStreams streams, ClickHouseSink sink, String registryUrl) {
        this.embeddedRegistry = embeddedRegistry;
        this.streams = streams;
        this.sink = sink;
        this.registryUrl = registryUrl;
    }

    /** A start-up failure whose message is meant for the user as is. */
    public static final class StartupFailure extends RuntimeException {
        StartupFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Aggregator start(AggregatorConfig config) {
        try {
            Sketches.requireUsableOnThisJdk();
        } catch (IllegalStateException e) {
            throw new StartupFailure(e.getMessage(), e);
        }
        ClickHouse clickhouse = new ClickHouse(config.clickhouseUrl(), config.clickhouseDatabase(),
                config.clickhouseUser(), config.clickhousePassword());
        try {
            clickhouse.ping();
        } catch (IllegalStateException e) {
            throw new StartupFailure(e.getMessage(), e);
        }
        ensureTopics(config);
        clickhouse.applyDdl(config.rawRetentionDays(), config.retentionDays());

        RegistryServer embedded = null;
        String registryUrl = config.schemaRegistryUrl();
        if (registryUrl == null) {
            try {
                embedded = RegistryServer.start(config.kafka(), config.embeddedRegistryPort(), "_schemas");
            } catch (IOException e) {
                throw new StartupFailure("cannot start the embedded schema registry on port "
                        + config.embeddedRegistryPort() + " (--embedded-registry-port): " + e.getMessage(), e);
            }
            registryUrl = embedded.url();
        }
        RegistryClient registry = new RegistryClient(registryUrl);
        ConfluentAvro avro = new ConfluentAvro(registry);
        try {
            avro.registerAll(config.metricsTopic(), RequestMetrics.getClassSchema());
            avro.registerAll(config.windowTopic(), WindowAggregate.getClassSchema());
            avro.registerAll(config.runTotalsTopic(), WindowAggregate.getClassSchema());
        } catch (RegistryException e) {
            if (embedded != null) embedded.close();
            throw new StartupFailure(e.getMessage() + " (--schema-registry-url)", e);
        }

        KafkaStreams streams = new KafkaStreams(Topology.build(config, () -> new TelemetryReader(avro),
                new AvroSerde<>(avro, RequestMetrics.class), new AvroSerde<>(avro, WindowAggregate.class)),
                streamsProperties(config));
        // A stream thread that dies (say the broker aborted its transaction while overloaded) is
        // replaced: exactly-once restores its tasks from the last commit, so nothing is lost or
        // doubled, whereas the default handler would stop the whole app for good.
        streams.setUncaughtExceptionHandler(e -> {
            org.slf4j.LoggerFactory.getLogger(Aggregator.class).error("stream thread failed; starting a new one", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        ClickHouseSink sink = new ClickHouseSink(config.kafka(), config.applicationId() + "-clickhouse-sink",
                new ClickHouseSink.Topics(config.telemetryTopic(), config.metricsTopic(), config.windowTopic(),
                        config.runTotalsTopic()),
                clickhouse, avro, new ClickHouseSink.Batching(config.sinkBatchRows(), config.sinkBatchMb() * (1L << 20),
                        config.sinkFlushMs()));
        sink.start();
        return new Aggregator(embedded, streams, sink, registryUrl);
    }

    static Properties streamsProperties(AggregatorConfig config) {
        Properties p = config.kafka().properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // No deserialization handler: telemetry is read as bytes and dead-lettered by the topology,
        // and the only other topics read are internal ones this app wrote. Failing there (the
        // default) keeps a measured record in Kafka rather than dropping it.
        return p;
    }

    private static void ensureTopics(AggregatorConfig config) {
        try {
            Topics.ensure(config.kafka(), config.partitions(), Map.of("compression.type", "producer"),
                    List.of(config.telemetryTopic(), config.metricsTopic(), config.windowTopic(),
                            config.runTotalsTopic(), config.deadLetterTopic()));
        } catch (Topics.Unreachable e) {
            throw new StartupFailure(e.getMessage(), e);
        }
    }

    /** Blocks until the Streams app is RUNNING (or fails trying). */
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("Kafka Streams entered " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not RUNNING after " + timeout + " (state "
                        + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public String registryUrl() {
        return registryUrl;
    }

    public ClickHouseSink sink() {
        return sink;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        sink.close();
        if (embeddedRegistry != null) {
            embeddedRegistry.close();
        }
    }
}
