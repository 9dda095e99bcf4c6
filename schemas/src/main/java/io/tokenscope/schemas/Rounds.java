package io.tokenscope.schemas;

/**
 * The round label's range, shared by whoever writes and stores it: the events carry an Avro int,
 * but ClickHouse's round columns are UInt16, so the producer refuses a higher round and the
 * aggregator dead-letters one.
 */
public final class Rounds {
    private Rounds() {}

    /** The highest round the round columns hold. */
    public static final int MAX = 65_535;
}
