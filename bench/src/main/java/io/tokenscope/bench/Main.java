package io.tokenscope.bench;

import io.tokenscope.bench.aggregator.AggregatorBench;
import io.tokenscope.bench.clickhouse.PanelLatency;
import io.tokenscope.bench.machine.LoopbackCost;
import io.tokenscope.bench.producer.ProducerFidelity;
import java.util.Arrays;

/** Benchmarks of Tokenscope itself, run by {@code ./tokenscope bench producer|aggregator|clickhouse|loopback}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            if (!what.isEmpty()) {
                System.out.println(ThisJvm.describe());
            }
            switch (what) {
                case "producer" -> ProducerFidelity.run(ProducerFidelity.Options.parse(rest));
                case "clickhouse" -> PanelLatency.run(PanelLatency.Options.parse(rest));
                case "aggregator" -> AggregatorBench.run(AggregatorBench.Options.parse(rest));
                case "loopback" -> LoopbackCost.run(LoopbackCost.Options.parse(rest));
                default -> {
                    System.err.println("usage: bench producer|aggregator|clickhouse|loopback [flags]   (--help for the flags)");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
