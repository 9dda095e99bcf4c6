package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.kafka.KafkaConnection;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.KafkaEmitter;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.registry.ConfluentAvro;
import io.tokenscope.registry.RegistryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Windows are on event time (a request counts in the window of its end) with the aggregator's
 * default 10 s windows and 30 s grace: a request that arrives late but within the grace of its
 * window is counted there; one that arrives after its window closed is not, though its own
 * request row is still stored.
 */
class WindowGraceTest {
    private static void request(TelemetrySink sink, RunContext ctx, String id, long wallUs) {
        sink.started(ctx, id, wallUs, 100, 1);
        sink.chunk(ctx, id, 0, 1, 20_000_000L, wallUs + 20_000, " ok");
        sink.finished(ctx, new RequestResult(id, true, 200, null, null, 20_000_000L, new long[0], new int[] {1},
                25_000_000L, 1, 1, "length", 10, 1, 0, 0, " ok", 0), wallUs + 25_000);
    }

    @Test
    void lateInsideTheGraceCountsAndAfterItDoesNot() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "fixed")) {
            String run = Services.unique("grace");
            RunContext ctx = new RunContext(run, "grace", 1, 1, pipeline.simUrl, "m", "chat");
            // T: the start of a 10 s window, ten minutes ago.
            long t = (System.currentTimeMillis() - 600_000) / 10_000 * 10_000 * 1000;
            String where = " WHERE run_id = '" + run + "'";
            try (KafkaEmitter emitter = new KafkaEmitter(KafkaConnection.plain(pipeline.kafka), pipeline.topic,
                    new ConfluentAvro(new RegistryClient(pipeline.registryUrl)))) {
                // Requests go to partitions by id, and partitions have no order between them, so
                // each step waits until the previous one is counted.
                request(emitter.sink(), ctx, "a-at-T", t + 1_000_000);
                emitter.drain(Duration.ofSeconds(30));
                assertEquals(1, Services.awaitCount("SELECT sum(requests) FROM " + pipeline.database
                        + ".window_aggregates FINAL" + where, 1, 60_000));
                request(emitter.sink(), ctx, "b-at-T+120s", t + 120_000_000);
                emitter.drain(Duration.ofSeconds(30));
                // Stream time has reached T+120 s once B's window exists.
                assertEquals(2, Services.awaitCount("SELECT sum(requests) FROM " + pipeline.database
                        + ".window_aggregates FINAL" + where, 2, 60_000));
                request(emitter.sink(), ctx, "c-at-T+5s-too-late", t + 5_000_000);
                emitter.drain(Duration.ofSeconds(30));
                assertEquals(3, Services.awaitCount("SELECT count() FROM " + pipeline.database + ".requests FINAL" + where,
                        3, 60_000));
                request(emitter.sink(), ctx, "d-at-T+95s-in-grace", t + 95_000_000);
                emitter.drain(Duration.ofSeconds(30));
            }
            String db = pipeline.database;
            assertEquals(4, Services.awaitCount("SELECT count() FROM " + db + ".requests FINAL" + where, 4, 60_000),
                    "every request is stored, late or not");
            assertEquals(3, Services.awaitCount("SELECT sum(requests) FROM " + db + ".window_aggregates FINAL" + where,
                    3, 60_000));
            Thread.sleep(2_000);
            long tSeconds = t / 1_000_000;
            assertEquals("0\t1\n90\t1\n120\t1", Services.sql("SELECT toUnixTimestamp(window_start) - " + tSeconds
                    + ", sum(requests) FROM " + db + ".window_aggregates FINAL" + where
                    + " GROUP BY window_start ORDER BY window_start FORMAT TSV"),
                    "A alone at T (C came after the window closed), D at T+90 s (within grace), B at T+120 s");
        }
    }
}
