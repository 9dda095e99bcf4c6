package io.tokenscope.producer.emit;

import io.tokenscope.cli.Handoff;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Moves telemetry from the event loop to Kafka. The event loop only enqueues, never waiting (see
 * {@link Handoff}); one emitter thread drains the queue in batches, encodes Avro and calls
 * {@code send}, which may block on metadata or a full buffer. A single thread keeps each
 * request's events in order; keys are request ids, so they stay in order in their partition too.
 * The producer is idempotent with acks=all, and every failed send is counted and reported, never
 * dropped silently; so is every event refused because the backlog waiting for Kafka is full
 * ({@link Backlog}).
 */
public final class KafkaEmitter implements AutoCloseable {
    private static final Keyed END = new Keyed(null, null, false, 0);

    private final String topic;
    private final ConfluentAvro avro;
    private final KafkaProducer<String, byte[]> producer;
    private final Handoff<Keyed> queue = new Handoff<>();
    private final Backlog backlog;
    /** Requests that have lost a chunk to the full backlog, until their end is refused too. */
    private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean givenUp;
    private final TelemetrySink sink = new Events(true);
    private final TelemetrySink rehearsal = new Events(false);

    /** send false: a warm-up's event, encoded and dropped; bytes: its share of the backlog. */
    private record Keyed(String key, SpecificRecord record, boolean send, long bytes) {}

    public KafkaEmitter(io.tokenscope.kafka.KafkaConnection kafka, String topic, ConfluentAvro avro) {
        this(kafka, topic, avro, Backlog.quarterOfHeap());
    }

    /** backlogBytes: most event bytes waiting for Kafka before events are refused and counted as failed. */
    public KafkaEmitter(io.tokenscope.kafka.KafkaConnection kafka, String topic, ConfluentAvro avro, long backlogBytes) {
        this.backlog = new Backlog(backlogBytes);
        this.topic = topic;
        this.avro = avro;
        Properties p = kafka.properties();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        // Metadata and broker connections are set up now, not when the first token arrives.
        producer.partitionsFor(topic);
        avro.registerAll(topic, RequestStarted.getClassSchema(), TokenChunk.getClassSchema(),
                RequestFinished.getClassSchema(), ServerMetricSample.getClassSchema());
        this.thread = new Thread(this::run, "telemetry-emitter");
        this.thread.start();
    }

    /** Where a run's events go: each is sent to Kafka and counted. */
    public TelemetrySink sink() {
        return sink;
    }

    /**
     * Where warm-up requests' events go: built, handed over and encoded as a run's are, so that
     * code is compiled before the first measured request, then dropped, never sent or counted.
     * With the warm-up's events discarded, Avro's encoding was still compiling through a first
     * measured burst, on the cores the burst was timed on.
     */
    public TelemetrySink rehearsal() {
        return rehearsal;
    }

    /** Builds each event for the emitter thread; send false for a rehearsal. */
    private final class Events implements TelemetrySink {
        private final boolean send;

        Events(boolean send) {
            this.send = send;
        }

        @Override
        public void started(RunContext c, String requestId, long startWallUs, int promptChars, int maxTokens) {
            offer(requestId, startedEvent(c, requestId, startWallUs, promptChars, maxTokens), send);
        }

        @Override
        public void chunk(RunContext c, String requestId, int chunkIndex, int tokens, long arrivalNs, long wallUs,
                          String text) {
            offer(requestId, chunkEvent(c, requestId, chunkIndex, tokens, arrivalNs, wallUs, text), send);
        }

        @Override
        public void finished(RunContext c, RequestResult r, long wallUs) {
            offer(r.requestId(), finishedEvent(c, r, wallUs), send);
        }
    }

    private static RequestStarted startedEvent(RunContext c, String requestId, long startWallUs, int promptChars,
                                               int maxTokens) {
        return new RequestStarted(c.runId(), requestId, c.scenario(), c.round(), c.concurrency(), c.endpoint(),
                c.model(), c.api(), micros(startWallUs), promptChars, maxTokens);
    }

    private static TokenChunk chunkEvent(RunContext c, String requestId, int chunkIndex, int tokens, long arrivalNs,
                                         long wallUs, String text) {
        return new TokenChunk(c.runId(), requestId, c.scenario(), c.round(), c.concurrency(), c.endpoint(),
                c.model(), chunkIndex, tokens, arrivalNs, micros(wallUs), capped(text));
    }

    private static RequestFinished finishedEvent(RunContext c, RequestResult r, long wallUs) {
        return new RequestFinished(c.runId(), r.requestId(), c.scenario(), c.round(), c.concurrency(),
                c.endpoint(), c.model(), r.ok() ? "ok" : "error", r.httpStatus(), r.errorClass(), r.errorMessage(),
                r.endNs(), micros(wallUs), r.chunks(), r.finishReason(), r.promptTokens(), r.completionTokens(),
                r.cachedTokens(), r.scheduleLagNs());
    }

    /** Most text a token event carries; a hostile server's megabyte chunk would exceed Kafka's 1 MB record limit. */
    static final int MAX_TEXT_CHARS = 64 * 1024;

    /**
     * The chunk's text, cut to MAX_TEXT_CHARS with a note of the full length: the timing and token
     * count of a giant chunk are measurements and must reach Kafka; all of its text need not.
     */
    static String capped(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        return text.substring(0, MAX_TEXT_CHARS) + "…[cut by tokenscope from " + text.length() + " chars]";
    }

    /** The server's cache counters at the start or end (phase) of a round; null when not exposed. */
    public void serverSample(RunContext c, String phase, Double cacheQueries, Double cacheHits, long wallUs) {
        offer(c.runId(), new ServerMetricSample(c.runId(), c.scenario(), c.round(), c.concurrency(), c.endpoint(),
                c.model(), phase, micros(wallUs), cacheQueries, cacheHits), true);
    }

    private void offer(String key, SpecificRecord record, boolean send) {
        long bytes = Backlog.estimate(record);
        boolean requestEvent = !(record instanceof ServerMetricSample);
        // Once one of a request's chunks is refused, so are the rest, its end included: the
        // aggregator then closes it as incomplete, where a request missing only a chunk would
        // be stored as a success with the wrong TTFT or too few chunks. A lost start costs
        // nothing: the aggregator takes the labels and start from the first chunk or the end.
        boolean lostBefore = requestEvent && refused.contains(key);
        if (lostBefore || !backlog.tryAdd(bytes)) {
            if (record instanceof RequestFinished) {
                refused.remove(key);
            } else if (record instanceof TokenChunk) {
                refused.add(key);
            }
            if (send) {
                enqueued.incrementAndGet();
                fail(lostBefore
                        ? "dropped a " + record.getSchema().getName() + " of request " + key + ", which had lost an "
                                + "earlier chunk to the full backlog (the aggregator closes it as incomplete)"
                        : "dropped a " + record.getSchema().getName() + ": the events waiting for Kafka filled the backlog "
                                + "of " + backlog.limitBytes() + " bytes (a quarter of the heap by default); Kafka is not "
                                + "taking them");
            }
            return;
        }
        if (send) {
            enqueued.incrementAndGet();
        }
        queue.offer(new Keyed(key, record, send, bytes));
    }

    private static Instant micros(long wallUs) {
        return Instant.EPOCH.plus(wallUs, ChronoUnit.MICROS);
    }

    private void run() {
        List<Keyed> batch = new ArrayList<>(4096);
        while (!Thread.currentThread().isInterrupted()) {
            queue.drainTo(batch, 4096);
            for (Keyed k : batch) {
                if (k == END) {
                    return;
                }
                send(k);
                backlog.remove(k.bytes());
            }
            batch.clear();
        }
    }

    private void send(Keyed k) {
        if (givenUp) {
            return;
        }
        byte[] value;
        try {
            value = avro.encode(topic, k.record());
        } catch (RuntimeException e) {
            if (k.send()) fail("cannot encode " + k.record().getSchema().getName() + ": " + e.getMessage());
            return;
        }
        if (!k.send()) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, k.key(), value), (meta, error) -> {
                if (error == null) {
                    acked.incrementAndGet();
                } else {
                    fail("send to " + topic + " failed: " + error);
                }
            });
        } catch (RuntimeException e) {
            fail("send to " + topic + " failed: " + e);
        }
    }

    private void fail(String message) {
        failed.incrementAndGet();
        lastError.set(message);
    }

    /** What became of the events handed over: acknowledged by Kafka, or failed. */
    public record Delivery(long acked, long failed, String lastError) {}

    /**
     * Waits until every event handed over so far is acknowledged by Kafka or has failed, at most
     * the timeout. Events still unconfirmed then are counted as failed: the run ends without
     * knowing they reached Kafka, and must not report them as delivered or as nothing.
     */
    public Delivery drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.get() + failed.get() < enqueued.get() && System.nanoTime() < deadline) {
            producer.flush();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long ackedNow = acked.get(), failedNow = failed.get();
        long unconfirmed = enqueued.get() - ackedNow - failedNow;
        if (unconfirmed > 0) {
            return new Delivery(ackedNow, failedNow + unconfirmed, unconfirmed + " events neither acknowledged nor "
                    + "failed by Kafka within " + timeout.toSeconds() + " s");
        }
        return new Delivery(ackedNow, failedNow, lastError.get());
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    public String lastError() {
        return lastError.get();
    }

    /** How long close lets the emitter thread hand Kafka what is still queued. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /**
     * Sends what is still queued, for at most {@link #CLOSE_WAIT}. With the broker unreachable,
     * each send blocks up to max.block.ms once the producer's buffer is full, so a large backlog
     * would hold the run's exit for hours; {@link #drain} has already counted those events as
     * failed, so they are given up.
     */
    @Override
    public void close() {
        queue.offer(END);
        try {
            thread.join(CLOSE_WAIT.toMillis());
            if (thread.isAlive()) {
                givenUp = true;
                thread.interrupt();
                thread.join(CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(30));
    }
}
