package io.tokenscope.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Framing errors are caught before any registry call, each with a message saying what is wrong. */
class ConfluentAvroTest {
    private final ConfluentAvro avro = new ConfluentAvro(new RegistryClient("http://127.0.0.1:1"));

    @Test
    void shortRecordIsRejected() {
        var e = assertThrows(ConfluentAvro.MalformedRecordException.class, () -> avro.decode(new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("5-byte"), e.getMessage());
    }

    @Test
    void wrongMagicByteIsRejected() {
        var e = assertThrows(ConfluentAvro.MalformedRecordException.class,
                () -> avro.decode(new byte[] {1, 0, 0, 0, 1, 2}));
        assertTrue(e.getMessage().contains("magic byte is 1"), e.getMessage());
    }

    @Test
    void anUnreachableRegistryIsNotTheRecordsFault() {
        // Not MalformedRecordException: a caller must keep the record and retry, not dead-letter it.
        var e = assertThrows(ConfluentAvro.RegistryUnavailableException.class,
                () -> avro.decode(new byte[] {0, 0, 0, 0, 42, 2}));
        assertTrue(e.getMessage().contains("schema id 42"), e.getMessage());
    }
}
