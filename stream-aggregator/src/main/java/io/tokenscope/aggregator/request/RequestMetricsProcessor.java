package io.tokenscope.aggregator.request;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.TokenChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds one request's events (keyed by request id, so in order) into its state, and on the
 * request's end emits its metrics, timestamped at the request's end, and forgets the state.
 *
 * <p>A request with no event for the idle timeout is closed as {@code incomplete} with what was
 * measured, timestamped with the task's stream time, the newest event time it has read: the
 * window open then counts it rather than a window long past its grace period, and, unlike the
 * wall clock, it cannot push event time past the windows of a backlog still being read. Idle time is wall-clock time since this instance last
 * saw an event of the request, or since it took the task over, whichever is later: a request
 * restored from the changelog gets a full timeout for its backlog to be read before it counts as
 * idle.
 *
 * <p>A late event of a request closed as incomplete is dropped, not counted again: the store
 * keeps a small closed marker for {@link #FORGET_AFTER_TIMEOUTS} idle timeouts, and the
 * incomplete row stands. Its token events still reach ClickHouse, since the sink copies them
 * from the telemetry topic itself, so nothing measured is lost from storage.
 */
public final class RequestMetricsProcessor implements Processor<String, SpecificRecord, String, RequestMetrics> {
    public static final String STORE = "open-requests";
    static final int FORGET_AFTER_TIMEOUTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RequestMetricsProcessor.class);

    private final long idleTimeoutMs;
    private ProcessorContext<String, RequestMetrics> context;
    private KeyValueStore<String, RequestState> store;
    /**
     * The open requests this instance has already read or written, as objects. Every token event
     * updates its request, and reading the state back from the store would decode the labels and
     * the ITL sketch each time; the store still gets every update, and its cache hands the newest
     * to the changelog at each commit, which is what exactly-once restores from. Emptied in init:
     * a task that is revived or moves here starts from the store alone, never from state of a
     * transaction that was aborted.
     */
    private final Map<String, RequestState> open = new HashMap<>();
    private long takenOverMs;

    public RequestMetricsProcessor(long idleTimeoutMs) {
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    public void init(ProcessorContext<String, RequestMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.open.clear();
        this.takenOverMs = context.currentSystemTimeMs();
        // A request is closed at most a tenth of its timeout (and at most a second) late.
        long sweepMs = Math.max(10, Math.min(1000, idleTimeoutMs / 10));
        context.schedule(Duration.ofMillis(sweepMs), PunctuationType.WALL_CLOCK_TIME, this::closeIdle);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String id = record.key();
        SpecificRecord event = record.value();
        RequestState state = open.get(id);
        if (state == null) {
            state = store.get(id);
        }
        if (state != null && state.closed()) {
            LOG.warn("dropping a late {} of request {}: it was closed as incomplete after {} ms idle",
                    event.getSchema().getName(), id, idleTimeoutMs);
            return;
        }
        if (state == null) {
            state = new RequestState();
        }
        state.lastSeenMs = context.currentSystemTimeMs();
        if (event instanceof RequestStarted s) {
            state.label(s.getRunId(), s.getScenario(), s.getRound(), s.getConcurrency(), s.getEndpoint(), s.getModel());
            state.startWallUs = RequestState.micros(s.getStartWallUs());
            store.put(id, state);
            open.put(id, state);
        } else if (event instanceof TokenChunk c) {
            if (state.labels.runId().isEmpty()) {
                state.label(c.getRunId(), c.getScenario(), c.getRound(), c.getConcurrency(), c.getEndpoint(), c.getModel());
            }
            if (state.startWallUs < 0) {
                state.startWallUs = RequestState.micros(c.getWallUs()) - c.getArrivalNs() / 1000;
            }
            state.chunk(c.getChunkIndex(), c.getArrivalNs(), c.getTokensInChunk());
            store.put(id, state);
            open.put(id, state);
        } else if (event instanceof RequestFinished f) {
            RequestMetrics metrics = state.finish(f);
            store.delete(id);
            open.remove(id);
            context.forward(new Record<>(id, metrics, RequestState.micros(f.getWallUs()) / 1000));
        }
    }

    private void closeIdle(long nowMs) {
        List<KeyValue<String, RequestState>> due = new ArrayList<>();
        try (KeyValueIterator<String, RequestState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, RequestState> entry = all.next();
                RequestState s = entry.value;
                long since = s.closed() ? s.closedAtMs : Math.max(s.lastSeenMs, takenOverMs);
                long limit = s.closed() ? FORGET_AFTER_TIMEOUTS * idleTimeoutMs : idleTimeoutMs;
                if (nowMs - since >= limit) {
                    due.add(entry);
                }
            }
        }
        for (KeyValue<String, RequestState> entry : due) {
            open.remove(entry.key);
            if (entry.value.closed()) {
                store.delete(entry.key);
            } else {
                store.put(entry.key, RequestState.closedAt(nowMs));
                context.forward(new Record<>(entry.key, entry.value.incomplete(entry.key), context.currentStreamTimeMs()));
            }
        }
    }

    @Override
    public void close() {
        open.clear();
    }
}
