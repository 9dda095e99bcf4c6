package io.tokenscope.aggregator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Entry point: {@code java -jar stream-aggregator-app.jar [--clickhouse-url ...] [--kafka-bootstrap ...]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        AggregatorConfig config;
        try {
            config = AggregatorConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Aggregator aggregator;
        try {
            aggregator = Aggregator.start(config);
            aggregator.awaitRunning(Duration.ofSeconds(60));
        } catch (Aggregator.StartupFailure | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf("stream-aggregator running: %s -> ClickHouse %s/%s (schema registry %s)%n",
                config.telemetryTopic(), config.clickhouseUrl(), config.clickhouseDatabase(), aggregator.registryUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aggregator.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
