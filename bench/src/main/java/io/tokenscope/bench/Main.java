package io.tokenscope.bench;

import io.tokenscope.bench.producer.ProducerFidelity;
import java.util.Arrays;

/** Benchmarks of Tokenscope itself; {@code ./tokenscope bench producer} runs the first. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("producer")) {
            System.err.println("usage: bench producer [flags]   (--help for the flags)");
            System.exit(2);
        }
        try {
            ProducerFidelity.run(ProducerFidelity.Options.parse(Arrays.copyOfRange(args, 1, args.length)));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
