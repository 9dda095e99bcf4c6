package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.producer.LoadRun;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two aggregator instances with one application id split the telemetry topic's partitions
 * between them; when one dies mid-run, the other takes its partitions over, rebuilds their
 * request state from the changelog and the run is still stored exactly once.
 */
class ScaleOutTest {
    private static final int REQUESTS = 40, TOKENS = 40;

    /** Telemetry partitions per member of the application's consumer group, once it has this many members and all four partitions are owned. */
    private static Map<String, Set<TopicPartition>> awaitMembers(String group, String topic, int members) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", Services.kafka());
        try (Admin admin = Admin.create(p)) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (true) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                Map<String, Set<TopicPartition>> assigned = new java.util.HashMap<>();
                for (MemberDescription m : d.members()) {
                    Set<TopicPartition> mine = new HashSet<>();
                    m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(mine::add);
                    assigned.put(m.consumerId(), mine);
                }
                // A member that left gives its partitions up in a rebalance of its own, after the
                // group already shows one member less: wait until all four have an owner again.
                if (assigned.size() == members && assigned.values().stream().noneMatch(Set::isEmpty)
                        && assigned.values().stream().mapToInt(Set::size).sum() == 4) {
                    return assigned;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("group " + group + " never had " + members + " members with partitions: "
                            + assigned);
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    void twoInstancesShareTheWorkAndOneTakesOverWhenTheOtherDies() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "fixed", "--ttft-ms", "20", "--itl-ms", "25",
                "--output-tokens", String.valueOf(TOKENS))) {
            ChildProcess second = pipeline.startAnotherAggregator();
            try {
                Map<String, Set<TopicPartition>> split = awaitMembers(pipeline.applicationId(), pipeline.topic, 2);
                Set<TopicPartition> all = new HashSet<>();
                split.values().forEach(all::addAll);
                assertEquals(4, all.size(), "every telemetry partition is owned: " + split);
                assertEquals(4, split.values().stream().mapToInt(Set::size).sum(), "and by one member only: " + split);

                String run = Services.unique("scale-out");
                Future<LoadRun.Report> running = Executors.newSingleThreadExecutor().submit(() -> pipeline.run(run,
                        "--requests", String.valueOf(REQUESTS), "--concurrency", "4", "--max-tokens", String.valueOf(TOKENS)));
                Thread.sleep(3_000);
                second.kill9();
                LoadRun.Report report = running.get(5, TimeUnit.MINUTES);
                assertTrue(awaitMembers(pipeline.applicationId(), pipeline.topic, 1).values().iterator().next().size() == 4,
                        "the survivor owns every partition");
                Stored.assertExactlyOnce(pipeline, run, report, REQUESTS, TOKENS);
            } finally {
                second.close();
            }
        }
    }
}
