package io.tokenscope.producer;

import io.tokenscope.cli.Realtime;
import io.tokenscope.producer.drive.Arrivals;
import io.tokenscope.producer.drive.LoadDriver;
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
import io.tokenscope.producer.report.Progress;
import io.tokenscope.producer.report.ResultFiles;
import io.tokenscope.producer.report.Sentiment;
import io.tokenscope.producer.scrape.CacheScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One producer run: checks, load, drain to Kafka, summary. The programmatic entry tests use. */
public final class LoadRun {
    /** What a run measured, per (concurrency, round), and what became of its telemetry. */
    public record Report(ProducerConfig config, List<ResultFiles.Config> configs, long eventsSent, long eventsFailed,
                         String lastEmitError) {
        /** The first configuration's summary: the whole run when it has one level and one round. */
        public RunSummary summary() {
            return configs.get(0).summary();
        }

        public List<RequestResult> results() {
            return configs.get(0).results();
        }
    }

    private LoadRun() {}

    public static Report execute(ProducerConfig config) throws Exception {
        // A dataset problem is reported before anything connects anywhere.
        List<List<Prompt>> promptSets = new ArrayList<>();
        for (int level = 0; level < config.concurrencies().size(); level++) {
            List<Prompt> all = WorkloadPlan.prompts(config.workload(), config.dataset(), config.n(), config.duplicate(),
                    config.requests(), config.maxTokens(), config.seed(), level);
            // Producers sharing a run split its prompts: instance i of k sends every k-th one.
            List<Prompt> mine = new ArrayList<>();
            for (int i = config.instance(); i < all.size(); i += config.instances()) {
                mine.add(all.get(i));
            }
            promptSets.add(mine);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            if (config.realtimePriority() > 0) {
                Realtime.raise(List.of(eventLoopThreadId(vertx)), config.realtimePriority(), "--realtime-priority");
            }
            ProducerConfig resolved = config.withModel(Preflight.endpoint(vertx, config));
            Preflight.kafka(resolved);
            ConfluentAvro avro = new ConfluentAvro(Preflight.registry(resolved));
            try (KafkaEmitter emitter = new KafkaEmitter(resolved.kafka(), resolved.topic(), avro);
                 CacheScrape scrape = new CacheScrape(vertx, resolved.metricsUrl(), resolved.cacheQueriesMetric(),
                         resolved.cacheHitsMetric())) {
                MonotonicClock clock = new MonotonicClock();
                List<ResultFiles.Config> configs = new ArrayList<>();
                boolean warm = resolved.warmupRequests() == 0;
                for (int level = 0; level < resolved.concurrencies().size(); level++) {
                    int concurrency = resolved.concurrencies().get(level);
                    int inFlight = concurrency > 0 ? concurrency : promptSets.get(level).size();
                    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                            .setTcpNoDelay(true).setConnectTimeout(5000), new PoolOptions().setHttp1MaxSize(inFlight));
                    LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, resolved.endpoint(),
                            emitter, clock, resolved.timeoutMs(), resolved.shape());
                    if (!warm) {
                        RunContext warmCtx = context(resolved, concurrency, 0);
                        driver.withSink(TelemetrySink.DISCARD).run(warmCtx, SyntheticReviews.prompts(
                                        resolved.warmupRequests(), resolved.maxTokens(), ~resolved.seed()),
                                        resolved.runId() + "-warmup").toCompletionStage().toCompletableFuture().get();
                        warm = true;
                    }
                    if (resolved.resetPrefixCache()) {
                        String problem = scrape.resetPrefixCache();
                        if (problem != null) {
                            System.err.println("warning: prefix cache not reset before concurrency " + concurrency
                                    + ": " + problem);
                        }
                    }
                    for (int r = 1; r <= resolved.rounds(); r++) {
                        int round = resolved.rounds() == 1 ? resolved.round() : r;
                        // As JMH does between iterations: start measuring with an empty young
                        // generation, so a collection is unlikely to pause the event loop mid-run.
                        System.gc();
                        CacheScrape.Reading before = scrape.read();
                        Progress progress = new Progress("c=" + concurrency + " r=" + round, promptSets.get(level).size(),
                                System.err, Progress.onTerminal());
                        long t0 = System.nanoTime();
                        RunContext ctx = context(resolved, concurrency, round);
                        String prefix = resolved.runId() + (resolved.instances() > 1 ? "-i" + resolved.instance() : "")
                                + "-r" + round + "-c" + concurrency;
                        List<Prompt> prompts = promptSets.get(level);
                        LoadDriver counted = driver.onEachFinished(progress::step);
                        List<RequestResult> results = (resolved.requestRate() > 0
                                ? counted.runAtSchedule(ctx, prompts, prefix, Arrivals.offsetsNs(prompts.size(),
                                        resolved.requestRate(), resolved.burstiness(), resolved.constantArrivals(),
                                        resolved.seed() + round), inFlight)
                                : counted.run(ctx, prompts, prefix))
                                .toCompletionStage().toCompletableFuture().get();
                        progress.close();
                        RunSummary summary = RunSummary.of(resolved.runId(), results, (System.nanoTime() - t0) / 1e9,
                                resolved.slo()).withSentiment(Sentiment.score(prompts, results));
                        Double serverHitRate = CacheScrape.hitRate(before, scrape.read());
                        configs.add(new ResultFiles.Config(concurrency, round, summary, results, serverHitRate));
                    }
                    http.close();
                }
                emitter.drain(Duration.ofSeconds(60));
                if (resolved.outputDir() != null) {
                    ResultFiles.write(Path.of(resolved.outputDir()), configs);
                }
                return new Report(resolved, configs, emitter.acked(), emitter.failed(), emitter.lastError());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The kernel id of the one event loop, asked on the loop itself. */
    private static long eventLoopThreadId(Vertx vertx) throws Exception {
        java.util.concurrent.CompletableFuture<Long> tid = new java.util.concurrent.CompletableFuture<>();
        vertx.runOnContext(v -> tid.complete(Realtime.currentThreadId()));
        return tid.get(10, TimeUnit.SECONDS);
    }

    private static RunContext context(ProducerConfig c, int concurrency, int round) {
        return new RunContext(c.runId(), c.scenario(), round, concurrency, c.endpoint().url(), c.model(), c.api());
    }
}
