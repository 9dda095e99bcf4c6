package io.tokenscope.bench.producer;

import io.tokenscope.producer.drive.RequestResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How far the producer's timestamps are from the truth. The simulator logs when it handed each
 * chunk to the socket; on one host both sides read the same CLOCK_MONOTONIC, so the client's
 * arrival time minus that send time is the client's whole delay in noticing the chunk (loopback
 * transfer, wake-up, parsing before the timestamp). TTFT error is that delay for the first chunk
 * (the request's own start is taken just before its write); ITL error is the client's gap minus
 * the server's gap between the same two chunks.
 *
 * @param ttftErrorsNs one per request with a matched first chunk
 * @param itlErrorsNs one per matched gap
 * @param unmatched chunks the client recorded that the log does not hold (should be 0)
 */
record Fidelity(long[] ttftErrorsNs, long[] itlErrorsNs, long chunks, long unmatched) {

    static Fidelity of(List<RequestResult> results, Map<String, long[]> sentNs) {
        long[] ttft = new long[results.size()];
        int nTtft = 0;
        long[] itl = new long[results.stream().mapToInt(r -> r.gapsNs().length).sum()];
        int nItl = 0;
        long chunks = 0, unmatched = 0;
        for (RequestResult r : results) {
            if (r.ttftNs() < 0) continue;
            long[] sent = sentNs.get(r.requestId());
            long arrival = r.startMonoNs() + r.ttftNs();
            chunks += r.chunks();
            if (sent == null) {
                unmatched += r.chunks();
                continue;
            }
            if (sent.length > 0 && sent[0] >= 0) {
                ttft[nTtft++] = arrival - sent[0];
            } else {
                unmatched++;
            }
            for (int i = 0; i < r.gapsNs().length; i++) {
                int chunk = i + 1;
                if (chunk < sent.length && sent[chunk] >= 0 && sent[chunk - 1] >= 0) {
                    itl[nItl++] = r.gapsNs()[i] - (sent[chunk] - sent[chunk - 1]);
                } else {
                    unmatched++;
                }
            }
        }
        long[] t = Arrays.copyOf(ttft, nTtft);
        long[] g = Arrays.copyOf(itl, nItl);
        Arrays.sort(t);
        Arrays.sort(g);
        return new Fidelity(t, g, chunks, unmatched);
    }

    /**
     * Nearest-rank percentile of the errors' magnitudes: an ITL error is negative when the earlier
     * chunk was noticed late, so "p99 error" means p99 of |error|. NaN when there are none.
     */
    static double absPercentileMs(long[] values, double p) {
        if (values.length == 0) return Double.NaN;
        long[] abs = new long[values.length];
        for (int i = 0; i < values.length; i++) abs[i] = Math.abs(values[i]);
        Arrays.sort(abs);
        int rank = (int) Math.ceil(p / 100.0 * abs.length);
        return abs[Math.max(0, rank - 1)] / 1e6;
    }

    /** The largest error by magnitude, keeping its sign. */
    static double worstMs(long[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        long lo = sorted[0], hi = sorted[sorted.length - 1];
        return (Math.abs(lo) > Math.abs(hi) ? lo : hi) / 1e6;
    }
}
