package io.tokenscope.aggregator.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka records one buffered insert came from, as first and last offset per partition. Its
 * token names the insert by where its rows came from, so the same batch sent again (a retry after
 * an ambiguous failure, or a replay that reads the same records into the same batch) carries the
 * same insert_deduplication_token and ClickHouse drops the second copy.
 */
final class Coverage {
    private final Map<TopicPartition, long[]> rangeByPartition = new HashMap<>();

    void add(TopicPartition partition, long offset) {
        long[] range = rangeByPartition.computeIfAbsent(partition, p -> new long[] {offset, offset});
        range[0] = Math.min(range[0], offset);
        range[1] = Math.max(range[1], offset);
    }

    /**
     * Each topic is named with its id, since offsets start again at 0 in a topic deleted and
     * created anew, or on a new cluster: by name and offsets alone, the new records' first
     * batches would carry the old ones' tokens, and ClickHouse would drop them without an error.
     * Topic names are [a-zA-Z0-9._-] and ids base64url, so the token needs no quoting.
     */
    String token(String table, Function<String, String> topicId) {
        return table + "/" + rangeByPartition.entrySet().stream()
                .map(e -> e.getKey().topic() + "@" + topicId.apply(e.getKey().topic()) + ":" + e.getKey().partition()
                        + ":" + e.getValue()[0] + "-" + e.getValue()[1])
                .sorted()
                .collect(Collectors.joining(","));
    }

    void clear() {
        rangeByPartition.clear();
    }
}
