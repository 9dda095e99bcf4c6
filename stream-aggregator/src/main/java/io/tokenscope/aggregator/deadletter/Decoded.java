package io.tokenscope.aggregator.deadletter;

import org.apache.avro.specific.SpecificRecord;

/** A telemetry record as read from Kafka: a request's event, or the raw record and why it is not one. */
public sealed interface Decoded {
    record Event(SpecificRecord event) implements Decoded {}

    /** Key and value exactly as they were in the source topic, so the dead letter can be replayed. */
    record Undecodable(byte[] key, byte[] value, String reason) implements Decoded {}
}
