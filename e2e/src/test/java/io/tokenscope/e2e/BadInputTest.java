package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.aggregator.Aggregator;
import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.producer.LoadRun;
import io.tokenscope.producer.ProducerConfig;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Each wrong address fails fast, before any load, with one message naming the flag to fix. */
class BadInputTest {
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachableEndpointNamesTheEndpointFlag() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        RuntimeException e = assertThrows(RuntimeException.class, () -> LoadRun.execute(ProducerConfig.parse(
                new String[] {"--endpoint", url, "--kafka-bootstrap", Services.kafka()})));
        assertTrue(e.getMessage().contains("--endpoint") && e.getMessage().contains(url), e.getMessage());
    }

    @Test
    void wrongKafkaAddressNamesTheKafkaFlag() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "fixed", "--ttft-ms", "1", "--itl-ms", "1")) {
            String bad = "127.0.0.1:" + closedPort();
            long t0 = System.nanoTime();
            RuntimeException e = assertThrows(RuntimeException.class, () -> LoadRun.execute(ProducerConfig.parse(
                    new String[] {"--endpoint", pipeline.simUrl, "--kafka-bootstrap", bad})));
            assertTrue(e.getMessage().contains("--kafka-bootstrap") && e.getMessage().contains(bad), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "took more than 30 s to give up");
        }
    }

    @Test
    void aggregatorWithWrongKafkaAddressNamesTheKafkaFlag() throws Exception {
        String bad = "127.0.0.1:" + closedPort();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Aggregator.start(AggregatorConfig.parse(
                new String[] {"--kafka-bootstrap", bad, "--clickhouse-url", Services.clickhouseUrl()})));
        assertTrue(e.getMessage().contains("--kafka-bootstrap") && e.getMessage().contains(bad), e.getMessage());
    }

    @Test
    void missingClickHouseNamesTheClickHouseFlag() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Aggregator.start(AggregatorConfig.parse(
                new String[] {"--kafka-bootstrap", Services.kafka(), "--clickhouse-url", url})));
        assertTrue(e.getMessage().contains("--clickhouse-url") && e.getMessage().contains(url), e.getMessage());
    }

    @Test
    void badFlagValuesNameTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProducerConfig.parse(new String[] {"--concurrency", "0"}));
        assertTrue(e.getMessage().contains("--concurrency"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProducerConfig.parse(new String[] {"--endpoint", "ftp://x"}));
        assertTrue(e.getMessage().contains("--endpoint"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AggregatorConfig.parse(new String[] {"--window-s", "ten"}));
        assertTrue(e.getMessage().contains("--window-s"), e.getMessage());
    }
}
