package io.tokenscope.aggregator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CoverageTest {
    private static final java.util.function.Function<String, String> ID = topic -> "id1";

    @Test
    void tokenNamesTheOffsetRangeOfEachPartitionWhateverTheArrivalOrder() {
        Coverage a = new Coverage();
        a.add(new TopicPartition("t", 1), 7);
        a.add(new TopicPartition("t", 0), 3);
        a.add(new TopicPartition("t", 1), 5);
        a.add(new TopicPartition("t", 0), 4);
        Coverage b = new Coverage();
        b.add(new TopicPartition("t", 0), 4);
        b.add(new TopicPartition("t", 1), 5);
        b.add(new TopicPartition("t", 0), 3);
        b.add(new TopicPartition("t", 1), 7);
        assertEquals("requests/t@id1:0:3-4,t@id1:1:5-7", a.token("requests", ID));
        assertEquals(a.token("requests", ID), b.token("requests", ID), "the same records give the same token");
        b.add(new TopicPartition("t", 1), 8);
        assertNotEquals(a.token("requests", ID), b.token("requests", ID));
        b.clear();
        assertEquals("requests/", b.token("requests", ID));
    }

    @Test
    void theSameOffsetsOfATopicCreatedAnewGiveAnotherToken() {
        Coverage c = new Coverage();
        c.add(new TopicPartition("t", 0), 0);
        assertNotEquals(c.token("token_events", topic -> "first"), c.token("token_events", topic -> "second"));
    }
}
