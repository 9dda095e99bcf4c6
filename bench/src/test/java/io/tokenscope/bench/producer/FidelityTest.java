package io.tokenscope.bench.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.producer.drive.RequestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FidelityTest {
    private static RequestResult result(String id, long startNs, long ttftNs, long... gapsNs) {
        return new RequestResult(id, true, 200, null, null, ttftNs, gapsNs, new int[gapsNs.length + 1], 0,
                gapsNs.length + 1, gapsNs.length + 1, "length", 1, gapsNs.length + 1, 0, 0, "", startNs);
    }

    @Test
    void errorsAreClientArrivalsAgainstServerSends() throws Exception {
        Path log = Files.createTempFile("truth", ".csv");
        Files.writeString(log, """
                client_request_id,response_id,chunk_index,tokens,received_ns,due_ns,sent_ns
                a,cmpl-1,0,1,1000,51000,51000
                a,cmpl-1,1,1,1000,61000,61000
                a,cmpl-1,2,1,1000,71000,71000
                ,cmpl-2,0,1,1000,51000,51000
                other-run-a,cmpl-3,0,1,1000,52000,52000
                """);
        Map<String, long[]> sent = GroundTruthLog.read(log, "a");
        assertArrayEquals(new long[] {51_000, 61_000, 71_000}, sent.get("a"));
        assertEquals(java.util.Set.of("a"), sent.keySet(), "only this run's requests, by their id prefix");
        assertEquals(2, GroundTruthLog.read(log, "").size());
        // Sent at 1000 ns; first chunk seen 300 ns after its send, then gaps 10,200 and 9,700 ns
        // against the server's 10,000 and 10,000.
        Fidelity f = Fidelity.of(List.of(result("a", 1_000, 50_300, 10_200, 9_700), result("gone", 0, 5, 5)), sent);
        assertArrayEquals(new long[] {300}, f.ttftErrorsNs());
        assertArrayEquals(new long[] {-300, 200}, f.itlErrorsNs());
        assertEquals(5, f.chunks());
        assertEquals(2, f.unmatched(), "the request the log does not know");
        assertEquals(0.0003, Fidelity.absPercentileMs(f.itlErrorsNs(), 99), 1e-12);
        assertEquals(-0.0003, Fidelity.worstMs(f.itlErrorsNs()), 1e-12);
    }

    @Test
    void aForeignFileIsRefusedWithItsName() throws Exception {
        Path log = Files.createTempFile("not-truth", ".csv");
        Files.writeString(log, "a,b\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> GroundTruthLog.read(log, ""));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(log.toString()), e.getMessage());
    }
}
