package io.tokenscope.aggregator.deadletter;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.Rounds;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a telemetry event must hold to be stored as it is. Avro ints are signed and ClickHouse's
 * columns are not (the round is 16 bits wide), so an event written by some other producer with
 * a negative count or a round past 65,535 would be stored wrapped around, silently wrong; it is
 * dead-lettered instead, with the field named. Each check returns null when the value is fine.
 */
public final class FieldRanges {
    private FieldRanges() {}

    /**
     * Most UTF-8 bytes a label may have. Labels go into the request and window state with a
     * 16-bit length; a longer one, decodable though it is, would fail that write on every retry
     * and stall its task.
     */
    public static final int MAX_LABEL_BYTES = 4096;

    /** Why the event cannot be kept, or null when it can; the first problem in field order. */
    public static String problem(SpecificRecord event) {
        if (event instanceof TokenChunk c) {
            return either(configuration(c.getRunId(), c.getScenario(), c.getRound(), c.getConcurrency(), c.getEndpoint(),
                    c.getModel()), either(notNegative("chunk_index", c.getChunkIndex()),
                            notNegative("tokens_in_chunk", c.getTokensInChunk())));
        }
        if (event instanceof RequestStarted s) {
            return either(configuration(s.getRunId(), s.getScenario(), s.getRound(), s.getConcurrency(), s.getEndpoint(),
                    s.getModel()), either(notNegative("prompt_chars", s.getPromptChars()),
                            notNegative("max_tokens", s.getMaxTokens())));
        }
        if (event instanceof RequestFinished f) {
            return either(configuration(f.getRunId(), f.getScenario(), f.getRound(), f.getConcurrency(), f.getEndpoint(),
                    f.getModel()), either(httpStatus(f.getHttpStatus()), either(notNegative("chunks", f.getChunks()),
                            either(notNegative("prompt_tokens", f.getPromptTokens()),
                                    either(notNegative("completion_tokens", f.getCompletionTokens()),
                                            notNegative("cached_tokens", f.getCachedTokens()))))));
        }
        if (event instanceof ServerMetricSample m) {
            return configuration(m.getRunId(), m.getScenario(), m.getRound(), m.getConcurrency(), m.getEndpoint(),
                    m.getModel());
        }
        return null;
    }

    /** The labels and numbers every event starts with, in the schemas' order. */
    private static String configuration(String runId, String scenario, int round, int concurrency, String endpoint,
                                        String model) {
        return either(label("run_id", runId), either(label("scenario", scenario), either(round(round),
                either(notNegative("concurrency", concurrency), either(label("endpoint", endpoint),
                        label("model", model))))));
    }

    public static String round(int round) {
        return round >= 0 && round <= Rounds.MAX ? null
                : "field 'round' is " + round + "; rounds are stored as 0.." + Rounds.MAX;
    }

    public static String notNegative(String field, Integer value) {
        return value == null || value >= 0 ? null : "field '" + field + "' is " + value + "; it is a count, >= 0";
    }

    private static String httpStatus(int status) {
        // 0 stands for no answer at all (the connection failed).
        return status >= 0 && status <= 999 ? null : "field 'http_status' is " + status + "; it must be 0..999";
    }

    private static String label(String field, String value) {
        // A char is at most 3 UTF-8 bytes, so only a long label needs encoding to be measured.
        if (value != null && value.length() * 3L > MAX_LABEL_BYTES) {
            return label(field, value.getBytes(StandardCharsets.UTF_8).length);
        }
        return null;
    }

    public static String label(String field, int utf8Bytes) {
        return utf8Bytes <= MAX_LABEL_BYTES ? null
                : "field '" + field + "' is " + utf8Bytes + " UTF-8 bytes; labels are kept up to " + MAX_LABEL_BYTES;
    }

    private static String either(String first, String second) {
        return first != null ? first : second;
    }
}
