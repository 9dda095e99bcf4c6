package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.producer.drive.Endpoint;
import io.tokenscope.producer.drive.LoadDriver;
import io.tokenscope.producer.drive.MonotonicClock;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.producer.scenario.Review;
import io.tokenscope.producer.scenario.Workloads;
import io.tokenscope.sim.SimConfig;
import io.tokenscope.sim.SimServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Accuracy of the answers against the dataset's labels, with the simulator answering over HTTP. */
class SentimentTest {
    private static final List<Review> REVIEWS = List.of(
            new Review("A moving, beautifully acted masterpiece.", "positive"),
            new Review("A dull and lifeless mess, a waste of time.", "negative"),
            new Review("Funny and sharp; I loved it.", "positive"),
            new Review("Painfully predictable and far too long.", "negative"));

    private static List<RequestResult> run(SimServer sim, Vertx vertx, List<Prompt> prompts) throws Exception {
        LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(),
                vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(2)),
                Endpoint.parse(sim.baseUrl(), "--endpoint"), TelemetrySink.DISCARD, new MonotonicClock(), 5000);
        return driver.run(new RunContext("r", "s", 1, 2, sim.baseUrl(), "m", "chat"), prompts, "sent")
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void bothImdbShapesAreScoredAgainstTheLabels() throws Exception {
        SimServer sim = SimServer.start(SimConfig.parse(new String[] {"--port", "0", "--event-loops", "1"}));
        Vertx vertx = Vertx.vertx();
        try {
            List<Prompt> manyShort = Workloads.manyShort(REVIEWS, 4);
            assertEquals(new Sentiment(4, 4), Sentiment.score(manyShort, run(sim, vertx, manyShort)));
            List<Prompt> oneLong = Workloads.oneLong(REVIEWS, 4);
            assertEquals(new Sentiment(4, 4), Sentiment.score(oneLong, run(sim, vertx, oneLong)));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sim.close();
        }
    }

    @Test
    void missingAndWrongVerdictsCountAgainst() {
        List<Prompt> prompts = List.of(new Prompt("p", 3, List.of("positive", "negative", "positive")));
        RequestResult answer = new RequestResult("id", true, 200, null, null, 1, new long[0], new int[0], 2, 1, 2,
                "length", 1, 2, 0, 0, " Positive. negative", 0);
        assertEquals(new Sentiment(3, 2), Sentiment.score(prompts, List.of(answer)));
        assertEquals(List.of("positive", "negative"), Sentiment.verdicts("1) Positive 2) NEGATIVE!"));
    }
}
