package io.tokenscope.sim.truth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
    @TempDir
    Path dir;

    /** The line as String concatenation would write it: the oracle for the byte formatting. */
    private static String expected(GroundTruth.Sent s) {
        return (s.clientRequestId() == null ? "" : s.clientRequestId().replace(',', '_')) + ',' + s.responseId() + ','
                + s.chunkIndex() + ',' + s.tokens() + ',' + s.receivedNs() + ',' + s.dueNs() + ',' + s.sentNs();
    }

    @Test
    void linesMatchTheirTextFormOverManyBufferFills() throws Exception {
        Random random = new Random(7);
        String[] ids = {null, "", "req-1", "a,b,,c", "ünïcødé,id", "日本語", "x".repeat(70_000) + ",y"};
        long[] edges = {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE};
        List<GroundTruth.Sent> sent = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String id = i < ids.length ? ids[i] : "bench-" + Long.toHexString(random.nextLong());
            long a = i < edges.length ? edges[i] : random.nextLong();
            long b = i < edges.length ? edges[edges.length - 1 - i] : Math.abs(random.nextLong()) >>> random.nextInt(63);
            sent.add(new GroundTruth.Sent(id, "chatcmpl-" + i, i % 33, 1 + i % 3, a, b, random.nextLong()));
        }
        Path file = dir.resolve("truth.csv");
        try (GroundTruth truth = new GroundTruth(file)) {
            sent.forEach(truth::record);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(GroundTruth.HEADER, lines.get(0));
        assertEquals(sent.size() + 1, lines.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(expected(sent.get(i)), lines.get(i + 1), "line " + (i + 2));
            assertEquals(7, lines.get(i + 1).split(",", -1).length, "line " + (i + 2));
        }
    }
}
