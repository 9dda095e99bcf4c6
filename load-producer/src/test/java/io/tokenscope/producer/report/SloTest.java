package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.drive.RequestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloTest {
    private static Path yaml(String text) throws Exception {
        Path p = Files.createTempFile("slo", ".yaml");
        Files.writeString(p, text);
        return p;
    }

    private static RequestResult request(boolean ok, double ttftMs, long[] gapsNs, double e2eMs) {
        return request(ok, ttftMs, gapsNs, e2eMs, 0);
    }

    private static RequestResult request(boolean ok, double ttftMs, long[] gapsNs, double e2eMs, double lagMs) {
        return new RequestResult("id", ok, 200, ok ? null : "http_500", null, (long) (ttftMs * 1e6), gapsNs,
                new int[gapsNs.length + 1], (long) (e2eMs * 1e6), gapsNs.length + 1, gapsNs.length + 1, "length", 10,
                null, 0, (long) (lagMs * 1e6), "", 0);
    }

    @Test
    void aRequestHeldBackByAnOpenLoopCountsFromItsIntendedStart() throws Exception {
        Slo slo = Slo.read(yaml("ttft_ms: 100\nlatency_ms: 500\n"));
        long[] gaps = {10_000_000L};
        assertTrue(slo.met(request(true, 60, gaps, 200, 30)), "60 + 30 ms of lag is within 100");
        assertFalse(slo.met(request(true, 60, gaps, 200, 50)), "60 + 50 ms of lag passes the TTFT bound");
        assertTrue(slo.met(request(true, 10, gaps, 400, 80)), "400 + 80 ms is within the latency bound");
        assertFalse(slo.met(request(true, 10, gaps, 450, 80)), "TTFT 90 ms is within; 450 + 80 ms latency is not");
    }

    @Test
    void goodMeansSucceededAndWithinEveryBound() throws Exception {
        Slo slo = Slo.read(yaml("ttft_ms: 100\ntpot_ms: 20\nlatency_ms: 500\n"));
        long[] gaps = {10_000_000L, 10_000_000L};
        assertTrue(slo.met(request(true, 90, gaps, 200)));
        assertFalse(slo.met(request(true, 110, gaps, 200)), "TTFT");
        assertFalse(slo.met(request(true, 90, new long[] {50_000_000L, 10_000_000L}, 200)), "TPOT 30 ms");
        assertFalse(slo.met(request(true, 90, gaps, 600)), "latency");
        assertFalse(slo.met(request(false, 90, gaps, 200)), "failed requests are never good");
        RunSummary s = RunSummary.of("r", List.of(request(true, 90, gaps, 200), request(true, 110, gaps, 200)), 2, slo);
        assertEquals(1, s.goodRequests());
    }

    @Test
    void badFilesNameTheFlagAndKey() throws Exception {
        Path unknown = yaml("ttft: 100\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Slo.read(unknown));
        assertTrue(e.getMessage().contains("--slo") && e.getMessage().contains("'ttft'"), e.getMessage());
        Path negative = yaml("tpot_ms: -5\n");
        e = assertThrows(IllegalArgumentException.class, () -> Slo.read(negative));
        assertTrue(e.getMessage().contains("'tpot_ms'"), e.getMessage());
        Path broken = yaml("ttft_ms: [1,\n");
        e = assertThrows(IllegalArgumentException.class, () -> Slo.read(broken));
        assertTrue(e.getMessage().contains("not readable YAML"), e.getMessage());
    }
}
