package io.tokenscope.producer;

import io.tokenscope.producer.drive.ClosedLoopDriver;
import io.tokenscope.producer.drive.MonotonicClock;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.KafkaEmitter;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.emit.TelemetrySink;
import io.tokenscope.producer.report.RunSummary;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.producer.scenario.SyntheticReviews;
import io.tokenscope.producer.scenario.WorkloadPlan;
import io.tokenscope.registry.ConfluentAvro;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One producer run: checks, load, drain to Kafka, summary. The programmatic entry tests use. */
public final class LoadRun {
    /** What a run measured, and what became of its telemetry. */
    public record Report(ProducerConfig config, RunSummary summary, List<RequestResult> results, long eventsSent,
                         long eventsFailed, String lastEmitError) {}

    private LoadRun() {}

    public static Report execute(ProducerConfig config) throws Exception {
        // A dataset problem is reported before anything connects anywhere.
        List<Prompt> prompts = WorkloadPlan.prompts(config.workload(), config.dataset(), config.n(), config.duplicate(),
                config.requests(), config.maxTokens(), config.seed());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            ProducerConfig resolved = config.withModel(Preflight.endpoint(vertx, config));
            Preflight.kafka(resolved);
            ConfluentAvro avro = new ConfluentAvro(Preflight.registry(resolved));
            try (KafkaEmitter emitter = new KafkaEmitter(resolved.kafkaBootstrap(), resolved.topic(), avro)) {
                HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                                .setConnectTimeout(5000),
                        new PoolOptions().setHttp1MaxSize(resolved.concurrency()));
                RunContext ctx = new RunContext(resolved.runId(), resolved.scenario(), resolved.round(),
                        resolved.concurrency(), resolved.endpoint().url(), resolved.model(), resolved.api());
                ClosedLoopDriver driver = new ClosedLoopDriver(vertx.getOrCreateContext(), http, resolved.endpoint(),
                        emitter, new MonotonicClock(), resolved.timeoutMs());
                if (resolved.warmupRequests() > 0) {
                    driver.withSink(TelemetrySink.DISCARD).run(ctx,
                                    SyntheticReviews.prompts(resolved.warmupRequests(), resolved.maxTokens(), ~resolved.seed()),
                                    resolved.runId() + "-warmup")
                            .toCompletionStage().toCompletableFuture().get();
                    // As JMH does between iterations: start measuring with an empty young
                    // generation, so a collection is unlikely to pause the event loop mid-run.
                    System.gc();
                }
                long t0 = System.nanoTime();
                List<RequestResult> results = driver.run(ctx, prompts,
                                resolved.runId() + "-r" + resolved.round() + "-c" + resolved.concurrency())
                        .toCompletionStage().toCompletableFuture().get();
                double durationS = (System.nanoTime() - t0) / 1e9;
                emitter.drain(Duration.ofSeconds(60));
                RunSummary summary = RunSummary.of(resolved.runId(), results, durationS);
                return new Report(resolved, summary, results, emitter.acked(), emitter.failed(), emitter.lastError());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
