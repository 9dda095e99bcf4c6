package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.kafka.Topics;
import io.tokenscope.producer.emit.KafkaEmitter;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run that stops waiting for Kafka before every event is confirmed reports the unconfirmed ones
 * as failed: acknowledged plus failed is always what was handed over.
 */
class EmitterDrainTest {
    private static final int EVENTS = 20_000;

    private interface Check {
        void run(KafkaEmitter emitter) throws Exception;
    }

    /** An emitter on a topic of its own, backlogBytes as given, with a registry in this JVM. */
    private static void withEmitter(String name, long backlogBytes, Check check) throws Exception {
        String topic = Services.unique(name);
        KafkaConnection kafka = KafkaConnection.plain(Services.kafka());
        Topics.ensure(kafka, 1, Map.of(), List.of(topic));
        try (RegistryServer registry = RegistryServer.start(kafka, 0, "_schemas");
             KafkaEmitter emitter = new KafkaEmitter(kafka, topic, new ConfluentAvro(new RegistryClient(registry.url())),
                     backlogBytes)) {
            check.run(emitter);
        }
    }

    @Test
    void eventsStillUnconfirmedWhenTheWaitEndsCountAsFailed() throws Exception {
        withEmitter("e2e-drain", Long.MAX_VALUE, emitter -> {
            RunContext ctx = new RunContext("drain", "sc", 1, 1, "http://e", "m", "chat");
            TelemetrySink sink = emitter.sink();
            for (int i = 0; i < EVENTS; i++) {
                sink.chunk(ctx, "r-" + i / 100, i % 100, 1, 1_000_000L * i, 1_700_000_000_000_000L, "t");
            }
            KafkaEmitter.Delivery gaveUp = emitter.drain(Duration.ZERO);
            assertEquals(EVENTS, gaveUp.acked() + gaveUp.failed());
            assertTrue(gaveUp.failed() > 0, "some events were still on their way: " + gaveUp);
            assertTrue(gaveUp.lastError().contains("neither acknowledged nor failed"), gaveUp.lastError());

            KafkaEmitter.Delivery all = emitter.drain(Duration.ofSeconds(60));
            assertEquals(new KafkaEmitter.Delivery(EVENTS, 0, null), all);
        });
    }

    /**
     * With the backlog waiting for Kafka full, an event is refused, not queued without end: it is
     * counted as failed, and the run's delivery still adds up to what was handed over.
     */
    @Test
    void anEventThatWouldOverfillTheBacklogIsCountedAsFailedNotQueued() throws Exception {
        withEmitter("e2e-backlog", 4_000, emitter -> {
            RunContext ctx = new RunContext("backlog", "sc", 1, 1, "http://e", "m", "chat");
            TelemetrySink sink = emitter.sink();
            for (int i = 0; i < 10; i++) {
                sink.started(ctx, "r-" + i, 1_700_000_000_000_000L, 10, 8);
                // Ten starts (256 bytes each) fit together; a chunk of 4 KB of text never does.
                sink.chunk(ctx, "r-" + i, 0, 1, 1_000_000L, 1_700_000_000_000_000L, "x".repeat(2_000));
                // A small chunk would fit, but its request has lost a chunk: it goes too.
                sink.chunk(ctx, "r-" + i, 1, 1, 2_000_000L, 1_700_000_000_000_000L, "y");
            }
            KafkaEmitter.Delivery delivery = emitter.drain(Duration.ofSeconds(60));
            assertEquals(new KafkaEmitter.Delivery(10, 20, delivery.lastError()), delivery);
            assertTrue(delivery.lastError().startsWith("dropped a TokenChunk of request r-9, which had lost an earlier chunk"),
                    delivery.lastError());
            // Its end goes the same way and forgets it: a later event under that id is sent again.
            sink.finished(ctx, new io.tokenscope.producer.drive.RequestResult("r-0", true, 200, null, null, 1, new long[0],
                    new int[] {1}, 2, 1, 1, "length", 10, 1, 0, 0, "", 0), 1_700_000_000_000_000L);
            sink.started(ctx, "r-0", 1_700_000_000_000_000L, 10, 8);
            KafkaEmitter.Delivery after = emitter.drain(Duration.ofSeconds(60));
            assertEquals(new KafkaEmitter.Delivery(11, 21, after.lastError()), after);
        });
    }
}
