package io.tokenscope.producer.scrape;

import io.tokenscope.producer.drive.AroundRequest;
import io.tokenscope.producer.drive.RequestResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server's own view of its prefix cache: /metrics scraped before and after a round, at an
 * interval during it, and on request before and after each request, the hit rate being the
 * growth of hit tokens over the growth of queried tokens. Knows vLLM v1's counters and
 * LMCache's; other names come by flag. Round scrapes run between rounds from the main thread;
 * periodic and per-request scrapes are futures on the event loop, and the text is parsed on a
 * worker thread, so a large exposition never holds up the timestamps of requests in flight.
 */
public final class CacheScrape implements AutoCloseable {
    /** Counter pairs tried in order: (queried tokens, hit tokens). */
    static final List<String[]> KNOWN = List.of(
            new String[] {"vllm:prefix_cache_queries_total", "vllm:prefix_cache_hits_total"},
            new String[] {"vllm:gpu_prefix_cache_queries_total", "vllm:gpu_prefix_cache_hits_total"},
            new String[] {"lmcache:num_requested_tokens_total", "lmcache:num_hit_tokens_total"});

    /**
     * Counter readings, taken when the response arrived (atNs, System.nanoTime()); null values
     * where the server has no such counters.
     */
    public record Reading(Double queries, Double hits, long atNs) {}

    private final Vertx vertx;
    private final WebClient web;
    private final URI url;
    private final List<String[]> names;

    public CacheScrape(Vertx vertx, String url, String queriesName, String hitsName) {
        this.vertx = vertx;
        this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3000));
        this.url = URI.create(url);
        this.names = queriesName != null ? List.<String[]>of(new String[] {queriesName, hitsName}) : KNOWN;
    }

    /** Blocks the calling thread, so never call it on the event loop; null as for {@link #readAsync}. */
    public Reading read() {
        try {
            return readAsync().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Completes with null when /metrics cannot be read or has none of the counters; it never
     * fails, because a scrape must never fail a run.
     */
    public Future<Reading> readAsync() {
        // Absolute: the client then takes TLS and the default port from the scheme, so an https
        // endpoint's /metrics is read over TLS on 443, not over plain HTTP on port 80.
        return web.getAbs(url.toString()).timeout(5000).send()
                .compose(r -> {
                    long atNs = System.nanoTime();
                    return r.statusCode() != 200 ? Future.<Reading>succeededFuture(null)
                            : vertx.executeBlocking(() -> reading(r.bodyAsString(), atNs), false);
                })
                .otherwise((Reading) null);
    }

    private Reading reading(String exposition, long atNs) {
        Map<String, Double> sums = PrometheusText.sums(exposition);
        for (String[] pair : names) {
            if (sums.containsKey(pair[0]) && sums.containsKey(pair[1])) {
                return new Reading(sums.get(pair[0]), sums.get(pair[1]), atNs);
            }
        }
        return null;
    }

    /**
     * Reads the counters every intervalMs until closed, handing each reading that worked to sink
     * on the event loop. A scrape still running when the next is due is not doubled. Closing
     * waits for the scrape in flight, so no periodic reading comes after what the caller does
     * next (the round's end sample). Blocks, so close it off the event loop.
     */
    public AutoCloseable every(long intervalMs, Consumer<Reading> sink) {
        Context loop = vertx.getOrCreateContext();
        AtomicReference<Future<Reading>> inFlight = new AtomicReference<>(Future.succeededFuture());
        long timer = vertx.setPeriodic(intervalMs, id -> {
            if (inFlight.get().isComplete()) {
                inFlight.set(readAsync().onSuccess(r -> {
                    if (r != null) sink.accept(r);
                }));
            }
        });
        return () -> {
            // Cancelled on the loop, so no tick can start a scrape after the one waited for.
            CompletableFuture<Future<Reading>> last = new CompletableFuture<>();
            loop.runOnContext(v -> {
                vertx.cancelTimer(timer);
                last.complete(inFlight.get());
            });
            try {
                last.get(10, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // A scrape never fails a run; one that hangs past its timeout is abandoned.
            }
        };
    }

    /**
     * A scrape before and after each request, the difference stored with its result. Exact
     * when one request runs at a time; with several in flight, the others' tokens fall into
     * the same interval, so the figure is only an approximation.
     */
    public AroundRequest perRequest() {
        return () -> readAsync().map(before -> result -> readAsync().map(after -> {
            RequestResult.ServerCache delta = delta(before, after);
            return delta == null ? result : result.withServerCache(delta);
        }));
    }

    /** Growth of the counters between two readings, or null when either is missing. */
    public static RequestResult.ServerCache delta(Reading before, Reading after) {
        if (before == null || after == null) {
            return null;
        }
        return new RequestResult.ServerCache(after.queries() - before.queries(), after.hits() - before.hits());
    }

    /**
     * Asks the server to drop its prefix cache (vLLM's POST /reset_prefix_cache, next to
     * /metrics). Returns an explanation when it could not, null when it did.
     */
    public String resetPrefixCache() {
        String path = url.getRawPath().replaceAll("/metrics$", "") + "/reset_prefix_cache";
        try {
            HttpResponse<Buffer> r = web.postAbs(url.resolve(path).toString()).timeout(5000)
                    .send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return r.statusCode() == 200 ? null : "POST " + path + " answered HTTP " + r.statusCode();
        } catch (Exception e) {
            return "POST " + path + " failed: " + e.getMessage();
        }
    }

    /** Hit rate between two readings, or null when either is missing or nothing was queried. */
    public static Double hitRate(Reading before, Reading after) {
        RequestResult.ServerCache d = delta(before, after);
        return d != null && d.queriedTokens() > 0 ? d.hitTokens() / d.queriedTokens() : null;
    }

    @Override
    public void close() {
        web.close();
    }
}
