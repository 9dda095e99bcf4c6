package io.tokenscope.producer.emit;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.TokenChunk;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;

/**
 * The bytes of telemetry handed to the emitter thread and not yet passed to Kafka. While the
 * broker takes nothing, the emitter blocks in send and the event loop keeps handing over; left
 * unbounded, that backlog grew until the heap ran out. Past the limit an event is refused, and
 * the emitter counts it as failed: a long outage costs counted events, never the run.
 */
final class Backlog {
    /** A record's fixed part: its object, its boxed fields, the queue node. */
    private static final long RECORD_BYTES = 256;

    private final long limitBytes;
    private final AtomicLong bytes = new AtomicLong();

    Backlog(long limitBytes) {
        if (limitBytes <= 0) throw new IllegalArgumentException("backlog limit must be > 0 bytes, got " + limitBytes);
        this.limitBytes = limitBytes;
    }

    /** The default limit: a quarter of the heap. */
    static long quarterOfHeap() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    long limitBytes() {
        return limitBytes;
    }

    /** Any thread, never waiting: true when the event fits, and is then counted until {@link #remove}. */
    boolean tryAdd(long size) {
        if (bytes.addAndGet(size) > limitBytes) {
            bytes.addAndGet(-size);
            return false;
        }
        return true;
    }

    void remove(long size) {
        bytes.addAndGet(-size);
    }

    long bytes() {
        return bytes.get();
    }

    /** What an event holds beyond the labels it shares with its run: its text, at two bytes a char. */
    static long estimate(SpecificRecord record) {
        if (record instanceof TokenChunk c) {
            return RECORD_BYTES + 2L * c.getText().length();
        }
        if (record instanceof RequestFinished f && f.getErrorMessage() != null) {
            return RECORD_BYTES + 2L * f.getErrorMessage().length();
        }
        return RECORD_BYTES;
    }
}
