package io.tokenscope.aggregator.sink;

import io.tokenscope.aggregator.deadletter.FieldRanges;
import io.tokenscope.aggregator.deadletter.TelemetryDecoder;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.schemas.WindowAggregate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies token events, request metrics and window aggregates from Kafka into ClickHouse in
 * batches, each sent as RowBinary through the JDBC connection's client. Offsets are committed
 * only after the insert succeeded, so a crash or a failed insert repeats rows rather than
 * losing them. Repeats are undone twice over: each insert
 * carries a deduplication token naming the Kafka records it holds ({@link Coverage}), so a
 * batch sent again as it was is dropped by ClickHouse at once; a replay that batches records
 * differently is collapsed on merge (and by FINAL) by the tables' ReplacingMergeTree keys.
 * While ClickHouse is failing the consumer is paused and the batch retried with backoff, so
 * Kafka keeps everything not yet stored.
 */
public final class ClickHouseSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSink.class);

    /**
     * When waiting rows are inserted: once there are this many rows or bytes of them, or once
     * rows have waited this long. The byte bound holds memory down when chunks are huge (a
     * hostile server's 64K-character chunks), where the row bound alone would not; it is checked
     * after each poll, so a batch can pass it by one poll's records.
     */
    public record Batching(int rows, long bytes, long flushMs) {
        boolean due(int pendingRows, long pendingBytes, long sinceFlushNs) {
            return pendingRows >= rows || pendingBytes >= bytes
                    || (pendingRows > 0 && sinceFlushNs >= flushMs * 1_000_000L);
        }
    }

    /**
     * The topics read, by what they hold; null for one not read. Each holds only its own record
     * types, and anything else found there is skipped rather than stored in the wrong table.
     */
    public record Topics(String telemetry, String metrics, String windows, String runTotals) {
        public static Topics telemetryOnly(String telemetry) {
            return new Topics(telemetry, null, null, null);
        }

        List<String> all() {
            return java.util.stream.Stream.of(telemetry, metrics, windows, runTotals).filter(t -> t != null).toList();
        }
    }

    private final Topics topics;
    private final ClickHouse clickhouse;
    private final ConfluentAvro avro;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Batching batching;
    private final io.tokenscope.kafka.KafkaConnection kafka;
    private final Map<String, String> topicIds = new java.util.HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    /**
     * Set inside the revocation callback, which runs within a poll: a retry there must not poll
     * again, or each retry would start the same rebalance anew one level deeper.
     */
    private boolean inRebalance;

    private final PendingRows<TokenChunk> tokens = new PendingRows<>(Tables.TOKEN_EVENTS);
    private final PendingRows<RequestMetrics> requests = new PendingRows<>(Tables.REQUESTS);
    private final PendingRows<WindowAggregate> windows = new PendingRows<>(Tables.WINDOWS);
    private final PendingRows<WindowAggregate> runTotals = new PendingRows<>(Tables.RUN_TOTALS);
    private final PendingRows<ServerMetricSample> samples = new PendingRows<>(Tables.SERVER_METRICS);
    private final List<PendingRows<?>> all = List.of(tokens, requests, windows, runTotals, samples);
    private final TokenRows tokenRows = new TokenRows();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong failedInserts = new AtomicLong();
    private Connection connection;

    public ClickHouseSink(io.tokenscope.kafka.KafkaConnection kafka, String groupId, Topics topics, ClickHouse clickhouse,
                          ConfluentAvro avro, Batching batching) {
        this.topics = topics;
        this.clickhouse = clickhouse;
        this.avro = avro;
        this.batching = batching;
        this.kafka = kafka;
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(500, batching.rows())));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.consumer.subscribe(topics.all(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                inRebalance = true;
                try {
                    flushUntilStored();
                } finally {
                    inRebalance = false;
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
        this.thread = new Thread(this::run, "clickhouse-sink");
    }

    public void start() {
        thread.start();
    }

    public long rowsWritten() {
        return rowsWritten.get();
    }

    public long undecodable() {
        return undecodable.get();
    }

    public long failedInserts() {
        return failedInserts.get();
    }

    private void run() {
        long lastFlush = System.nanoTime();
        try {
            while (running) {
                if (!routeAll(consumer.poll(Duration.ofMillis(100)))) {
                    sleep(1_000);
                }
                if (batching.due(pending(), pendingBytes(), System.nanoTime() - lastFlush)) {
                    flushUntilStored();
                    lastFlush = System.nanoTime();
                }
            }
            flushUntilStored();
        } catch (WakeupException e) {
            if (running) throw e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
            closeConnection();
        }
    }

    private long pendingBytes() {
        long n = 0;
        for (PendingRows<?> p : all) n += p.rows.rowBytes();
        return n;
    }

    private int pending() {
        int n = 0;
        for (PendingRows<?> p : all) n += p.count();
        return n;
    }

    /**
     * Routes a poll's records partition by partition. If the registry cannot be asked, that
     * partition is rewound to the record that needed it, so it and everything after it are read
     * again later, in order; false then, so the caller waits before polling again.
     */
    private boolean routeAll(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> batch) {
        boolean allRouted = true;
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                try {
                    route(tp, r);
                } catch (ConfluentAvro.RegistryUnavailableException e) {
                    LOG.warn("{}; re-reading {} from offset {}", e.getMessage(), tp, r.offset());
                    consumer.seek(tp, r.offset());
                    allRouted = false;
                    break;
                }
            }
        }
        return allRouted;
    }

    private void route(TopicPartition tp, ConsumerRecord<String, byte[]> r) {
        try {
            String topic = r.topic();
            boolean telemetry = topic.equals(topics.telemetry());
            if (telemetry && r.key() == null) {
                throw new ConfluentAvro.MalformedRecordException(TelemetryDecoder.NO_KEY);
            }
            if (telemetry && tokenRows.copies(avro.writerSchema(r.value()))) {
                tokenRows.append(r.value(), tokens.rows);
                tokens.added(tp, r.offset());
                return;
            }
            SpecificRecord record = avro.decode(r.value());
            String problem = telemetry ? TelemetryDecoder.problem(record) : FieldRanges.problem(record);
            if (problem != null) {
                throw new ConfluentAvro.MalformedRecordException(problem);
            }
            if (telemetry && record instanceof TokenChunk c) {
                tokens.add(c, tp, r.offset());
            } else if (telemetry && record instanceof ServerMetricSample m) {
                samples.add(m, tp, r.offset());
            } else if (telemetry) {
                // RequestStarted/RequestFinished reach ClickHouse as the requests table, via the metrics topic.
            } else if (topic.equals(topics.metrics()) && record instanceof RequestMetrics m) {
                requests.add(m, tp, r.offset());
            } else if (topic.equals(topics.windows()) && record instanceof WindowAggregate w) {
                windows.add(w, tp, r.offset());
            } else if (topic.equals(topics.runTotals()) && record instanceof WindowAggregate w) {
                runTotals.add(w, tp, r.offset());
            } else {
                throw new ConfluentAvro.MalformedRecordException(record.getSchema().getFullName()
                        + " does not belong on " + topic);
            }
        } catch (ConfluentAvro.MalformedRecordException e) {
            // Telemetry the Streams app puts on the dead-letter topic (counting it here again would
            // only store it twice), or a record on one of its own topics that it never writes there.
            undecodable.incrementAndGet();
            LOG.warn("skipping record {}-{}@{}, which is dead-lettered: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /** Inserts everything buffered, retrying with backoff until it is stored, then commits offsets. */
    private void flushUntilStored() {
        if (pending() == 0) {
            return;
        }
        long backoffMs = 200;
        boolean paused = false;
        while (true) {
            try {
                for (PendingRows<?> p : all) insert(p);
                break;
            } catch (SQLException e) {
                failedInserts.incrementAndGet();
                closeConnection();
                LOG.warn("ClickHouse insert failed, retrying in {} ms: {}", backoffMs, ClickHouse.rootMessage(e));
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
                if (!running && backoffMs >= 10_000) {
                    LOG.error("giving up on {} buffered rows at shutdown; their offsets stay uncommitted and will be "
                            + "re-read", pending());
                    return;
                }
                if (!inRebalance) {
                    keepMembership();
                    paused = true;
                }
            }
        }
        if (paused) {
            consumer.resume(consumer.paused());
        }
        try {
            consumer.commitSync();
        } catch (org.apache.kafka.common.KafkaException e) {
            // The rows are stored; only the bookkeeping failed (a rebalance, a moved coordinator).
            // The offsets are re-read after the next assignment and the insert tokens and table
            // keys absorb the repeat, so the sink carries on rather than die.
            LOG.warn("offset commit failed after a stored batch; it will be re-read: {}", e.getMessage());
        }
    }

    /**
     * Polls while a failed insert is retried, so the group keeps this member, with every partition
     * paused. A rebalance inside that poll can hand partitions back unpaused; any records it
     * returns are not routed, so their partitions are rewound to them, and committing after the
     * insert cannot skip them.
     */
    private void keepMembership() {
        consumer.pause(consumer.assignment());
        org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
        for (TopicPartition tp : stray.partitions()) {
            consumer.seek(tp, stray.records(tp).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    /** A topic's id, asked of the brokers once per topic; an unanswered question fails the insert, which is retried. */
    private String topicId(String topic) {
        return topicIds.computeIfAbsent(topic, t -> io.tokenscope.kafka.Topics.id(kafka, t));
    }

    private void insert(PendingRows<?> pending) throws SQLException {
        if (pending.count() == 0) {
            return;
        }
        if (connection == null) {
            connection = clickhouse.connect();
        }
        Tables.Table<?> table = pending.table;
        String token;
        try {
            token = pending.from.token(table.name(), this::topicId);
        } catch (io.tokenscope.kafka.Topics.Unreachable e) {
            throw new SQLException("cannot name the batch for " + table.name() + ": " + e.getMessage(), e);
        }
        InsertSettings settings = new InsertSettings().setDatabase(clickhouse.database()).setDeduplicationToken(token);
        Client client = connection.unwrap(ConnectionImpl.class).getClient();
        try (InsertResponse ignored = client.insert(table.name(), table.columnNames(), pending.rows.stream(),
                ClickHouseFormat.RowBinaryWithNamesAndTypes, settings).get(60, TimeUnit.SECONDS)) {
            rowsWritten.addAndGet(pending.count());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new SQLException("insert into " + table.name() + " failed: "
                    + (e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while inserting into " + table.name(), e);
        }
        pending.clear();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is replaced on the next insert
            }
            connection = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
