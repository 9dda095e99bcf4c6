package io.tokenscope.sim.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The engine on its own thread against the real clock. */
class EngineTest {
    private static final CostModel COST = CostModel.H100_8B;

    private static Sequence seq(long id, int promptTokens, int output) {
        return new Sequence(id, IntStream.range(0, promptTokens).map(i -> (int) id * 100_000 + i).toArray(), output, 16,
                k -> 1_000_000 + k);
    }

    /** A listener that runs on the engine thread itself and hands on its first token's step end. */
    private static Engine.Listener onFirstToken(java.util.function.LongConsumer action) {
        return new Engine.Listener() {
            @Override
            public Executor executor() {
                return Runnable::run;
            }

            @Override
            public void onToken(Sequence s, boolean first, boolean last, long stepEndNs) {
                if (first) action.accept(stepEndNs);
            }
        };
    }

    @Test
    void aRequestArrivingWhileTheEngineRunsLateWaitsForAStepThatStartsAfterIt() throws Exception {
        try (Engine engine = new Engine(new Scheduler(1024, 8192, 16, 25_000, COST))) {
            CountDownLatch stalling = new CountDownLatch(1);
            // A's listener runs on the engine thread itself and holds it for 60 ms at A's first
            // token, so the steps after it start in the past, as on a busy host.
            engine.submit(seq(1, 500, 40), onFirstToken(stepEndNs -> {
                stalling.countDown();
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), System.nanoTime());
            assertTrue(stalling.await(10, TimeUnit.SECONDS));
            Thread.sleep(20);
            long arrivedNs = System.nanoTime();
            CompletableFuture<Long> firstToken = new CompletableFuture<>();
            engine.submit(seq(2, 100, 4), onFirstToken(firstToken::complete), arrivedNs);
            double ttftMs = (firstToken.get(10, TimeUnit.SECONDS) - arrivedNs) / 1e6;
            // No step is shorter than the fixed overhead plus one pass over the weights.
            double minStepMs = (COST.overheadS() + COST.weightsS()) * 1e3;
            assertTrue(ttftMs >= minStepMs, "TTFT " + ttftMs + " ms, shorter than any step (" + minStepMs + " ms)");
        }
    }
}
