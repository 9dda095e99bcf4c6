package io.tokenscope.aggregator.sink;

import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.schemas.WindowAggregate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    private final ClickHouse clickhouse;
    private final ConfluentAvro avro;
    private final KafkaConsumer<String, byte[]> consumer;
    private final int batchRows;
    private final long flushMs;
    private final Thread thread;
    private volatile boolean running = true;

    private final List<TokenChunk> tokens = new ArrayList<>();
    private final List<RequestMetrics> requests = new ArrayList<>();
    private final List<WindowAggregate> windows = new ArrayList<>();
    private final Coverage tokensFrom = new Coverage();
    private final Coverage requestsFrom = new Coverage();
    private final Coverage windowsFrom = new Coverage();
    private final List<WindowAggregate> runTotals = new ArrayList<>();
    private final Coverage runTotalsFrom = new Coverage();
    private final List<ServerMetricSample> samples = new ArrayList<>();
    private final Coverage samplesFrom = new Coverage();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong failedInserts = new AtomicLong();
    private Connection connection;

    public ClickHouseSink(io.tokenscope.kafka.KafkaConnection kafka, String groupId, List<String> topics, ClickHouse clickhouse,
                          ConfluentAvro avro, int batchRows, long flushMs) {
        this.clickhouse = clickhouse;
        this.avro = avro;
        this.batchRows = batchRows;
        this.flushMs = flushMs;
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(500, batchRows)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                flushUntilStored();
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
                int pending = tokens.size() + requests.size() + windows.size() + runTotals.size() + samples.size();
                if (pending >= batchRows || (pending > 0 && System.nanoTime() - lastFlush >= flushMs * 1_000_000L)) {
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

    /**
     * Routes a poll's records partition by partition. If the registry cannot be asked, that
     * partition is rewound to the record that needed it, so it and everything after it are read
     * again later, in order; false then, so the caller waits before polling again.
     */
    private boolean routeAll(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> batch) {
        boolean allRouted = true;
        for (org.apache.kafka.common.TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                try {
                    route(r);
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

    private void route(ConsumerRecord<String, byte[]> r) {
        SpecificRecord record;
        try {
            record = avro.decode(r.value());
        } catch (ConfluentAvro.MalformedRecordException e) {
            // The Streams app puts undecodable telemetry on the dead-letter topic; counting it here
            // again would only store it twice.
            undecodable.incrementAndGet();
            LOG.warn("skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        if (record instanceof TokenChunk c) {
            tokens.add(c);
            tokensFrom.add(r.topic(), r.partition(), r.offset());
        } else if (record instanceof RequestMetrics m) {
            requests.add(m);
            requestsFrom.add(r.topic(), r.partition(), r.offset());
        } else if (record instanceof WindowAggregate w && r.topic().endsWith(AggregatorConfig.RUN_TOTALS_SUFFIX)) {
            runTotals.add(w);
            runTotalsFrom.add(r.topic(), r.partition(), r.offset());
        } else if (record instanceof WindowAggregate w) {
            windows.add(w);
            windowsFrom.add(r.topic(), r.partition(), r.offset());
        } else if (record instanceof ServerMetricSample s) {
            samples.add(s);
            samplesFrom.add(r.topic(), r.partition(), r.offset());
        }
        // RequestStarted/RequestFinished reach ClickHouse as the requests table, via the metrics topic.
    }

    /** Inserts everything buffered, retrying with backoff until it is stored, then commits offsets. */
    private void flushUntilStored() {
        if (tokens.isEmpty() && requests.isEmpty() && windows.isEmpty() && runTotals.isEmpty() && samples.isEmpty()) {
            return;
        }
        long backoffMs = 200;
        boolean paused = false;
        while (true) {
            try {
                insert(Tables.TOKEN_EVENTS, tokens, tokensFrom);
                insert(Tables.REQUESTS, requests, requestsFrom);
                insert(Tables.WINDOWS, windows, windowsFrom);
                insert(Tables.RUN_TOTALS, runTotals, runTotalsFrom);
                insert(Tables.SERVER_METRICS, samples, samplesFrom);
                break;
            } catch (SQLException e) {
                failedInserts.incrementAndGet();
                closeConnection();
                LOG.warn("ClickHouse insert failed, retrying in {} ms: {}", backoffMs, ClickHouse.rootMessage(e));
                if (!paused) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
                if (!running && backoffMs >= 10_000) {
                    LOG.error("giving up on {} buffered rows at shutdown; their offsets stay uncommitted and will be "
                            + "re-read", tokens.size() + requests.size() + windows.size() + runTotals.size() + samples.size());
                    return;
                }
                consumer.poll(Duration.ZERO); // keeps group membership alive while paused
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

    private <T> void insert(Tables.Table<T> table, List<T> rows, Coverage from) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (connection == null) {
            connection = clickhouse.connect();
        }
        RowBinary out = new RowBinary(table.columns());
        for (T row : rows) {
            table.writer().write(out, row);
        }
        InsertSettings settings = new InsertSettings().setDatabase(clickhouse.database())
                .setDeduplicationToken(from.token(table.name()));
        Client client = connection.unwrap(ConnectionImpl.class).getClient();
        try (InsertResponse ignored = client.insert(table.name(), table.columnNames(), out.stream(),
                ClickHouseFormat.RowBinaryWithNamesAndTypes, settings).get(60, TimeUnit.SECONDS)) {
            rowsWritten.addAndGet(rows.size());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new SQLException("insert into " + table.name() + " failed: "
                    + (e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while inserting into " + table.name(), e);
        }
        rows.clear();
        from.clear();
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
