package io.tokenscope.aggregator.window;

import io.tokenscope.aggregator.Labels;
import io.tokenscope.schemas.RequestMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** What a window counts: a request that ended in it, or growth of the server's cache counters sampled in it. */
public sealed interface WindowInput {
    Labels labels();

    record Request(RequestMetrics metrics) implements WindowInput {
        @Override
        public Labels labels() {
            return new Labels(metrics.getRunId(), metrics.getScenario(), metrics.getRound(), metrics.getConcurrency(),
                    metrics.getEndpoint(), metrics.getModel());
        }
    }

    /** Prefix-cache tokens the server queried and hit between two samples of one configuration. */
    record ServerCache(Labels labels, double queriedTokens, double hitTokens) implements WindowInput {}

    byte REQUEST = 1;
    byte SERVER_CACHE = 2;
    /**
     * Builds before the tag wrote the request's serde's bytes alone, whose first byte is the
     * Confluent magic 0; such records may still wait in the repartition topic at an upgrade.
     */
    byte LEGACY_REQUEST = 0;

    /** A tag byte, then the request's own serde's bytes or the labels and the two figures. */
    static Serde<WindowInput> serde(Serde<RequestMetrics> metricsSerde) {
        Serializer<WindowInput> ser = (topic, input) -> {
            if (input == null) return null;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                if (input instanceof Request r) {
                    out.writeByte(REQUEST);
                    out.write(metricsSerde.serializer().serialize(topic, r.metrics()));
                } else if (input instanceof ServerCache s) {
                    out.writeByte(SERVER_CACHE);
                    s.labels().write(out);
                    out.writeDouble(s.queriedTokens());
                    out.writeDouble(s.hitTokens());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        Deserializer<WindowInput> de = (topic, b) -> {
            if (b == null) return null;
            if (b[0] == REQUEST) {
                return new Request(metricsSerde.deserializer().deserialize(topic, Arrays.copyOfRange(b, 1, b.length)));
            }
            if (b[0] == LEGACY_REQUEST) {
                return new Request(metricsSerde.deserializer().deserialize(topic, b));
            }
            if (b[0] != SERVER_CACHE) {
                throw new IllegalStateException("window input tag " + b[0] + " is unknown to this build");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 1, b.length - 1))) {
                return new ServerCache(Labels.read(in), in.readDouble(), in.readDouble());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
