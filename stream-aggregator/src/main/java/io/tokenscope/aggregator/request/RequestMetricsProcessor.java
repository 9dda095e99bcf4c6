package io.tokenscope.aggregator.request;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestMetrics;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.TokenChunk;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds one request's events (keyed by request id, so in order) into its state, and on the
 * request's end emits its metrics, timestamped at the request's end, and forgets the state.
 */
public final class RequestMetricsProcessor implements Processor<String, SpecificRecord, String, RequestMetrics> {
    public static final String STORE = "open-requests";

    private ProcessorContext<String, RequestMetrics> context;
    private KeyValueStore<String, RequestState> store;

    @Override
    public void init(ProcessorContext<String, RequestMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String id = record.key();
        SpecificRecord event = record.value();
        if (id == null || event == null) {
            return;
        }
        if (event instanceof RequestStarted s) {
            RequestState state = orNew(id);
            state.label(s.getRunId(), s.getScenario(), s.getRound(), s.getConcurrency(), s.getEndpoint(), s.getModel());
            state.startWallUs = RequestState.micros(s.getStartWallUs());
            store.put(id, state);
        } else if (event instanceof TokenChunk c) {
            RequestState state = orNew(id);
            if (state.labels.runId().isEmpty()) {
                state.label(c.getRunId(), c.getScenario(), c.getRound(), c.getConcurrency(), c.getEndpoint(), c.getModel());
            }
            if (state.chunk(c.getChunkIndex(), c.getArrivalNs(), c.getTokensInChunk())) {
                store.put(id, state);
            }
        } else if (event instanceof RequestFinished f) {
            RequestMetrics metrics = orNew(id).finish(f);
            store.delete(id);
            context.forward(new Record<>(id, metrics, RequestState.micros(f.getWallUs()) / 1000));
        }
    }

    private RequestState orNew(String id) {
        RequestState state = store.get(id);
        return state != null ? state : new RequestState();
    }
}
