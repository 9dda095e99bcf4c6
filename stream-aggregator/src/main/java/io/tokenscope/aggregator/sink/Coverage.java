package io.tokenscope.aggregator.sink;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Kafka records one buffered insert came from, as first and last offset per partition. Its
 * token names the insert by where its rows came from, so the same batch sent again (a retry after
 * an ambiguous failure, or a replay that reads the same records into the same batch) carries the
 * same insert_deduplication_token and ClickHouse drops the second copy.
 */
final class Coverage {
    private final Map<String, long[]> rangeByPartition = new TreeMap<>();

    void add(String topic, int partition, long offset) {
        long[] range = rangeByPartition.computeIfAbsent(topic + ":" + partition, p -> new long[] {offset, offset});
        range[0] = Math.min(range[0], offset);
        range[1] = Math.max(range[1], offset);
    }

    /** Topic names are [a-zA-Z0-9._-], so the token needs no quoting beyond its single quotes. */
    String token(String table) {
        return table + "/" + rangeByPartition.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()[0] + "-" + e.getValue()[1])
                .collect(Collectors.joining(","));
    }

    void clear() {
        rangeByPartition.clear();
    }
}
