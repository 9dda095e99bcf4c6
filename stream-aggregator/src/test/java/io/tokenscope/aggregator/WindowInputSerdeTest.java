package io.tokenscope.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenscope.aggregator.window.WindowInput;
import io.tokenscope.registry.AvroSerde;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.schemas.RequestMetrics;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** What crosses the by-configuration repartition topics, read back by this build and the one after. */
class WindowInputSerdeTest {
    @Test
    void aRequestWrittenBeforeTheTagIsStillReadAfterAnUpgrade() throws Exception {
        try (FakeRegistry registry = new FakeRegistry()) {
            Serde<RequestMetrics> metricsSerde = new AvroSerde<>(new ConfluentAvro(new RegistryClient(registry.url())),
                    RequestMetrics.class);
            Serde<WindowInput> serde = WindowInput.serde(metricsSerde);
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            RequestMetrics m = new RequestMetrics("run", "r", "sc", 1, 4, "e", "m", "ok", 200, null, t, t, 50.0, 10.0,
                    10.0, 300.0, 3, 32, 100, 25, null, 0.0);

            byte[] tagged = serde.serializer().serialize("by-configuration", new WindowInput.Request(m));
            assertEquals(WindowInput.REQUEST, tagged[0]);
            assertEquals(new WindowInput.Request(m), serde.deserializer().deserialize("by-configuration", tagged));

            byte[] legacy = metricsSerde.serializer().serialize("by-configuration", m);
            assertEquals(ConfluentAvro.MAGIC, legacy[0]);
            assertEquals(new WindowInput.Request(m), serde.deserializer().deserialize("by-configuration", legacy));

            assertThrows(IllegalStateException.class,
                    () -> serde.deserializer().deserialize("by-configuration", new byte[] {9, 1, 2}));
        }
    }
}
