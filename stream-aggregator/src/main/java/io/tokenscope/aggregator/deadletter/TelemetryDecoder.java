package io.tokenscope.aggregator.deadletter;

import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes telemetry inside the topology rather than in a deserializer, so a record that is not
 * a request's event becomes a value the topology routes to the dead-letter topic, in the same
 * exactly-once transaction as everything else, instead of stopping the app or being dropped.
 * An undecodable record carries headers naming why and where it came from.
 */
public final class TelemetryDecoder implements Processor<byte[], byte[], String, Decoded> {
    public static final String ERROR = "error";
    public static final String SOURCE_TOPIC = "source-topic";
    public static final String SOURCE_PARTITION = "source-partition";
    public static final String SOURCE_OFFSET = "source-offset";
    public static final String NO_KEY = "record has no key; telemetry is keyed by request_id";

    private final Function<byte[], SpecificRecord> decode;
    private ProcessorContext<String, Decoded> context;

    /**
     * decode throws {@link ConfluentAvro.MalformedRecordException} naming what is wrong. When the
     * registry cannot be asked it throws RegistryUnavailableException instead, which is left to
     * fail the stream thread: the replacement thread re-reads from the last commit, so a good
     * record is retried rather than dead-lettered.
     */
    public TelemetryDecoder(Function<byte[], SpecificRecord> decode) {
        this.decode = decode;
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String reason;
        if (record.key() == null) {
            reason = NO_KEY;
        } else if (record.value() == null) {
            reason = "record has no value";
        } else {
            try {
                SpecificRecord event = decode.apply(record.value());
                reason = problem(event);
                if (reason == null) {
                    String id = new String(record.key(), StandardCharsets.UTF_8);
                    context.forward(record.withKey(id).withValue(new Decoded.Event(event)));
                    return;
                }
            } catch (ConfluentAvro.MalformedRecordException e) {
                reason = e.getMessage();
            }
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(ERROR, utf8(reason));
        context.recordMetadata().ifPresent((RecordMetadata m) -> {
            headers.add(SOURCE_TOPIC, utf8(m.topic()));
            headers.add(SOURCE_PARTITION, utf8(String.valueOf(m.partition())));
            headers.add(SOURCE_OFFSET, utf8(String.valueOf(m.offset())));
        });
        context.forward(new Record<String, Decoded>(null,
                new Decoded.Undecodable(record.key(), record.value(), reason), record.timestamp(), headers));
    }

    /**
     * Why a decoded telemetry record is dead-lettered, or null when it is kept; the sink asks the
     * same, so it never stores what the topology dead-letters.
     */
    public static String problem(SpecificRecord event) {
        if (event instanceof RequestStarted || event instanceof TokenChunk || event instanceof RequestFinished
                || event instanceof ServerMetricSample) {
            return FieldRanges.problem(event);
        }
        return event.getSchema().getFullName() + " is not a telemetry event (RequestStarted, TokenChunk, "
                + "RequestFinished or ServerMetricSample)";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
