package io.tokenscope.bench.producer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulator's ground-truth CSV (see llm-sim's truth/GroundTruth), read back as the send time
 * of every chunk of every request the client named with an x-request-id.
 */
final class GroundTruthLog {
    private GroundTruthLog() {}

    /** client request id → sent_ns by chunk index (0 = first text chunk), for ids starting with idPrefix. */
    static Map<String, long[]> read(Path csv, String idPrefix) throws IOException {
        Map<String, long[]> sent = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("client_request_id,response_id,chunk_index,tokens,received_ns,due_ns,sent_ns")) {
                throw new IOException(csv + ": not a ground-truth log (header " + header + ")");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (!line.startsWith(idPrefix)) continue;
                String[] f = line.split(",", -1);
                if (f.length != 7) throw new IOException(csv + " line " + lineNo + ": expected 7 columns, got " + f.length);
                if (f[0].isEmpty()) continue;
                int chunk = Integer.parseInt(f[2]);
                long[] times = sent.computeIfAbsent(f[0], k -> new long[0]);
                if (chunk >= times.length) {
                    long[] grown = Arrays.copyOf(times, Math.max(chunk + 1, times.length * 2));
                    Arrays.fill(grown, times.length, grown.length, -1);
                    times = grown;
                    sent.put(f[0], times);
                }
                times[chunk] = Long.parseLong(f[6]);
            }
        }
        // Arrays grow by doubling; cut each back to its last chunk seen.
        sent.replaceAll((id, times) -> {
            int n = times.length;
            while (n > 0 && times[n - 1] < 0) n--;
            return Arrays.copyOf(times, n);
        });
        return sent;
    }
}
