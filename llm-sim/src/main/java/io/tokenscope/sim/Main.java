package io.tokenscope.sim;

/** Entry point: {@code java -jar llm-sim-app.jar --port 8000 --ttft-ms 50 --itl-ms 10}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        SimConfig config;
        try {
            config = SimConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SimServer server;
        try {
            server = SimServer.start(config);
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        String engine = config.engine().equals("fixed")
                ? String.format("fixed engine: ttft %.1f ms, itl %.1f ms", config.ttftMs(), config.itlMs())
                : String.format("vllm engine: max_num_seqs %d, max_num_batched_tokens %d, KV %d tokens",
                        config.maxNumSeqs(), config.maxBatchedTokens(), config.kvCacheTokens());
        System.out.printf("llm-sim serving %s on %s (%s, %s transport)%n", config.model(), server.baseUrl(), engine,
                server.nativeTransport() ? "epoll" : "NIO");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
