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
        System.out.printf("llm-sim serving %s on %s (ttft %.1f ms, itl %.1f ms, %s transport)%n", config.model(),
                server.baseUrl(), config.ttftMs(), config.itlMs(), server.nativeTransport() ? "epoll" : "NIO");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
