package io.tokenscope.producer;

import io.tokenscope.cli.Realtime;
import io.tokenscope.producer.drive.Arrivals;
import io.tokenscope.producer.drive.JitQuiet;
import io.tokenscope.producer.drive.LoadDriver;
import io.tokenscope.producer.drive.MonotonicClock;
import io.tokenscope.producer.drive.RequestResult;
import io.tokenscope.producer.emit.KafkaEmitter;
import io.tokenscope.producer.emit.RunContext;
import io.tokenscope.producer.report.RunSummary;
import io.tokenscope.producer.scenario.Prompt;
import io.tokenscope.producer.scenario.SyntheticReviews;
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
import java.util.Locale;
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
        RunPlan plan = RunPlan.of(config);
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
                for (RunPlan.Level level : plan.levels()) {
                    int concurrency = level.concurrency();
                    int inFlight = concurrency > 0 ? concurrency
                            : level.rounds().stream().mapToInt(r -> r.prompts().size()).max().orElse(1);
                    HttpClient http = vertx.httpClientBuilder()
                            .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(5000))
                            .with(new PoolOptions().setHttp1MaxSize(inFlight))
                            // Each request records its own reset. Without a handler here Vert.x
                            // also logs every one, a blocking write to stderr on the event loop.
                            .withConnectHandler(connection -> connection.exceptionHandler(e -> { }))
                            .build();
                    LoadDriver driver = new LoadDriver(vertx.getOrCreateContext(), http, resolved.endpoint(),
                            emitter.sink(), clock, resolved.timeoutMs(), resolved.shape())
                            .withDeadline(resolved.requestTimeoutMs());
                    if (!warm) {
                        RunContext warmCtx = context(resolved, concurrency, 0, resolved.scenario());
                        driver.withSink(emitter.rehearsal()).run(warmCtx, SyntheticReviews.prompts(
                                        resolved.warmupRequests(), resolved.maxTokens(), ~resolved.seed()),
                                        resolved.runId() + "-warmup").toCompletionStage().toCompletableFuture().get();
                        JitQuiet.Wait jit = JitQuiet.awaitThisJvm(Duration.ofSeconds(60));
                        System.err.printf(Locale.ROOT, "warm-up: %d requests, then %.1f s for the JIT (%d ms compiling)%s%n",
                                resolved.warmupRequests(), jit.waited().toMillis() / 1000.0, jit.busyMs(),
                                jit.quiet() ? "" : "; still compiling after 60 s, measuring anyway");
                        warm = true;
                    }
                    if (resolved.scrapePerRequest()) {
                        driver = driver.aroundEach(scrape.perRequest());
                    }
                    String levelName = level.inputLength() > 0 ? "input length " + level.inputLength()
                            : "concurrency " + ProducerConfig.concurrencyLabel(concurrency);
                    for (RunPlan.Round round : level.rounds()) {
                        if (round.resetBefore()) {
                            String problem = scrape.resetPrefixCache();
                            if (problem != null) {
                                System.err.println("warning: prefix cache not reset before " + levelName + ", round "
                                        + round.round() + ": " + problem);
                            }
                        }
                        configs.add(measure(resolved, driver, scrape, emitter, clock, level, round));
                    }
                    http.close();
                }
                KafkaEmitter.Delivery delivery = emitter.drain(Duration.ofSeconds(60));
                if (resolved.outputDir() != null) {
                    ResultFiles.write(Path.of(resolved.outputDir()), configs);
                }
                return new Report(resolved, configs, delivery.acked(), delivery.failed(), delivery.lastError());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One round: its prompts sent closed or open loop, the server's counters read on either side. */
    private static ResultFiles.Config measure(ProducerConfig c, LoadDriver driver, CacheScrape scrape,
                                              KafkaEmitter emitter, MonotonicClock clock, RunPlan.Level level,
                                              RunPlan.Round round) throws Exception {
        int concurrency = level.concurrency();
        // As JMH does between iterations: start measuring with an empty young
        // generation, so a collection is unlikely to pause the event loop mid-run.
        System.gc();
        RunContext ctx = context(c, concurrency, round.round(), round.scenario());
        CacheScrape.Reading before = scrape.read();
        sample(emitter, ctx, "round_start", before, clock);
        AutoCloseable periodic = before != null && c.scrapeIntervalMs() > 0
                ? scrape.every(c.scrapeIntervalMs(), r -> sample(emitter, ctx, "periodic", r, clock))
                : () -> {};
        List<Prompt> prompts = round.prompts();
        Progress progress = new Progress((level.inputLength() > 0 ? "L=" + level.inputLength() : "c=" + concurrency)
                + " r=" + round.round(), prompts.size(), System.err, Progress.onTerminal());
        long t0 = System.nanoTime();
        // Request ids key the stored rows, so each (scenario, level, round) needs ids of its own:
        // producers that share a run id, as the seed's scenarios do, would otherwise overwrite
        // each other's rows. The scenario names an input sweep's length too.
        String prefix = c.runId() + (c.instances() > 1 ? "-i" + c.instance() : "") + "-" + round.scenario()
                + "-r" + round.round() + "-c" + concurrency;
        LoadDriver counted = driver.onEachFinished(progress::step);
        int inFlight = concurrency > 0 ? concurrency : prompts.size();
        List<RequestResult> results = (c.requestRate() > 0
                ? counted.runAtSchedule(ctx, prompts, prefix, Arrivals.offsetsNs(prompts.size(), c.requestRate(),
                        c.burstiness(), c.constantArrivals(), c.seed() + round.round()), inFlight)
                : counted.run(ctx, prompts, prefix))
                .toCompletionStage().toCompletableFuture().get();
        // The round lasts until its last request ended, as vLLM's bench counts it: not until this
        // thread woke, nor until a periodic scrape still in flight was done.
        long endNs = results.stream().mapToLong(r -> r.startMonoNs() + r.endNs()).max().orElse(t0);
        progress.close();
        periodic.close();
        RunSummary summary = RunSummary.of(c.runId(), results, Math.max(0, endNs - t0) / 1e9, c.slo())
                .withSentiment(Sentiment.score(prompts, results));
        CacheScrape.Reading after = scrape.read();
        sample(emitter, ctx, "round_end", after, clock);
        Double serverHitRate = CacheScrape.hitRate(before, after);
        return new ResultFiles.Config(concurrency, round.round(), round.scenario(), level.inputLength(), summary,
                results, serverHitRate);
    }

    /** The server's counters to Kafka too, so ClickHouse can put the server's hit rate beside usage's. */
    private static void sample(KafkaEmitter emitter, RunContext ctx, String phase, CacheScrape.Reading r,
                               MonotonicClock clock) {
        if (r != null) {
            emitter.serverSample(ctx, phase, r.queries(), r.hits(), clock.wallUs(r.atNs()));
        }
    }

    /** The kernel id of the one event loop, asked on the loop itself. */
    private static long eventLoopThreadId(Vertx vertx) throws Exception {
        java.util.concurrent.CompletableFuture<Long> tid = new java.util.concurrent.CompletableFuture<>();
        vertx.runOnContext(v -> tid.complete(Realtime.currentThreadId()));
        return tid.get(10, TimeUnit.SECONDS);
    }

    private static RunContext context(ProducerConfig c, int concurrency, int round, String scenario) {
        return new RunContext(c.runId(), scenario, round, concurrency, c.endpoint().url(), c.model(), c.api());
    }
}
