package io.tokenscope.aggregator.deadletter;

import io.tokenscope.schemas.RequestFinished;
import io.tokenscope.schemas.RequestStarted;
import io.tokenscope.schemas.Rounds;
import io.tokenscope.schemas.ServerMetricSample;
import io.tokenscope.schemas.TokenChunk;
import io.tokenscope.aggregator.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a telemetry event must hold to be stored as it is. Avro ints are signed and ClickHouse's
 * columns are not (the round is 16 bits wide), so an event written by some other producer with
 * a negative count or a round past 65,535 would be stored wrapped around, silently wrong; it is
 * dead-lettered instead, with the field named. Each check returns null when the value is fine.
 * Wall times must fall between 1970 and the end of 2299, what DateTime64 stores: Kafka refuses a
 * negative record timestamp, so one before 1970 would stop the stream thread on every retry, and
 * one centuries ahead (nanoseconds written as microseconds) would move stream time so far that
 * every later window is dropped as expired.
 */
public final class FieldRanges {
    private FieldRanges() {}

    /**
     * Most UTF-8 bytes a label may have. Labels go into the request and window state with a
     * 16-bit length; a longer one, decodable though it is, would fail that write on every retry
     * and stall its task.
     */
    public static final int MAX_LABEL_BYTES = 4096;

    /** The last microsecond DateTime64 holds: 2299-12-31 23:59:59.999999 UTC. */
    public static final long MAX_WALL_US = 10_413_791_999_999_999L;

    /** Why the event cannot be kept, or null when it can; the first problem in field order. */
    public static String problem(SpecificRecord event) {
        if (event instanceof TokenChunk c) {
            return either(configuration(c.getRunId(), c.getScenario(), c.getRound(), c.getConcurrency(), c.getEndpoint(),
                    c.getModel()), either(notNegative("chunk_index", c.getChunkIndex()),
                            either(notNegative("tokens_in_chunk", c.getTokensInChunk()), wallTime("wall_us", c.getWallUs()))));
        }
        if (event instanceof RequestStarted s) {
            return either(configuration(s.getRunId(), s.getScenario(), s.getRound(), s.getConcurrency(), s.getEndpoint(),
                    s.getModel()), either(notNegative("prompt_chars", s.getPromptChars()),
                            either(notNegative("max_tokens", s.getMaxTokens()), wallTime("start_wall_us", s.getStartWallUs()))));
        }
        if (event instanceof RequestFinished f) {
            return either(configuration(f.getRunId(), f.getScenario(), f.getRound(), f.getConcurrency(), f.getEndpoint(),
                    f.getModel()), either(httpStatus(f.getHttpStatus()), either(notNegative("chunks", f.getChunks()),
                            either(notNegative("prompt_tokens", f.getPromptTokens()),
                                    either(notNegative("completion_tokens", f.getCompletionTokens()),
                                            either(notNegative("cached_tokens", f.getCachedTokens()),
                                                    either(scheduleLag(f.getScheduleLagNs()),
                                                            wallTime("wall_us", f.getWallUs()))))))));
        }
        if (event instanceof ServerMetricSample m) {
            return either(configuration(m.getRunId(), m.getScenario(), m.getRound(), m.getConcurrency(),
                    m.getEndpoint(), m.getModel()), wallTime("wall_us", m.getWallUs()));
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

    private static String scheduleLag(long ns) {
        return ns >= 0 ? null : "field 'schedule_lag_ns' is " + ns + "; it is a wait, >= 0";
    }

    private static String httpStatus(int status) {
        // 0 stands for no answer at all (the connection failed).
        return status >= 0 && status <= 999 ? null : "field 'http_status' is " + status + "; it must be 0..999";
    }

    private static String wallTime(String field, Instant t) {
        // An Instant decoded from a long of microseconds cannot overflow this.
        return wallMicros(field, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    }

    public static String wallMicros(String field, long micros) {
        return micros >= 0 && micros <= MAX_WALL_US ? null
                : "field '" + field + "' is " + micros + " µs since 1970; wall times are kept from 1970 to 2299";
    }

    private static String label(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.indexOf(Labels.SEP) >= 0) {
            return separator(field);
        }
        // A char is at most 3 UTF-8 bytes, so only a long label needs encoding to be measured.
        if (value.length() * 3L > MAX_LABEL_BYTES) {
            return length(field, value.getBytes(StandardCharsets.UTF_8).length);
        }
        return null;
    }

    /** The same checks on a label's UTF-8 bytes, for readers that never make it a String. */
    public static String label(String field, byte[] utf8, int length) {
        for (int i = 0; i < length; i++) {
            // In UTF-8 this byte is only ever the character itself.
            if (utf8[i] == Labels.SEP) {
                return separator(field);
            }
        }
        return length(field, length);
    }

    private static String length(String field, int utf8Bytes) {
        return utf8Bytes <= MAX_LABEL_BYTES ? null
                : "field '" + field + "' is " + utf8Bytes + " UTF-8 bytes; labels are kept up to " + MAX_LABEL_BYTES;
    }

    /** Labels are joined with this character into the keys windows are grouped by, so one holding it could pass for another. */
    private static String separator(String field) {
        return "field '" + field + "' holds the control character U+001F, which the aggregator joins labels with";
    }

    private static String either(String first, String second) {
        return first != null ? first : second;
    }
}
