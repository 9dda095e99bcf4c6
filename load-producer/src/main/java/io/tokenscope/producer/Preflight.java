package io.tokenscope.producer;

import io.tokenscope.kafka.Topics;
import io.tokenscope.registry.RegistryClient;
import io.tokenscope.registry.RegistryException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Start-up checks that fail fast with one clear message naming the flag to fix, before any
 * load is sent: the endpoint answers, Kafka answers (and has the topic), the registry answers.
 */
final class Preflight {
    /** A start-up failure whose message is meant for the user as is. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    private Preflight() {}

    /** Checks the endpoint and returns the model to use: the given one, or the first the server lists. */
    static String endpoint(Vertx vertx, ProducerConfig config) {
        WebClient web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000));
        try {
            HttpResponse<Buffer> response = web.get(config.endpoint().port(), config.endpoint().host(),
                            config.endpoint().path("/v1/models")).ssl(config.endpoint().ssl()).timeout(10_000)
                    .putHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(config.shape().headers())).send()
                    .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                if (config.model() != null) {
                    return config.model();
                }
                throw new Failed("endpoint " + config.endpoint().url() + " answered HTTP " + response.statusCode()
                        + " on /v1/models; check --endpoint or give --model");
            }
            if (config.model() != null) {
                return config.model();
            }
            JsonArray data = new JsonObject(response.bodyAsString()).getJsonArray("data", new JsonArray());
            if (data.isEmpty()) {
                throw new Failed("endpoint " + config.endpoint().url() + " lists no models on /v1/models; give --model");
            }
            return data.getJsonObject(0).getString("id");
        } catch (ExecutionException e) {
            throw new Failed("cannot reach the endpoint at " + config.endpoint().url() + " (--endpoint): "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new Failed("the endpoint at " + config.endpoint().url() + " did not answer within 15 s (--endpoint)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        } catch (RuntimeException e) {
            if (e instanceof Failed) throw e;
            throw new Failed("endpoint " + config.endpoint().url() + " answered /v1/models with something that is not "
                    + "an OpenAI model list (" + e.getMessage() + "); check --endpoint or give --model");
        } finally {
            web.close();
        }
    }

    /** Checks the brokers answer and the telemetry topic exists, creating it if needed. */
    static void kafka(ProducerConfig config) {
        try {
            Topics.ensure(config.kafka(), config.partitions(), Map.of("compression.type", "producer"),
                    List.of(config.topic()));
        } catch (Topics.Unreachable e) {
            throw new Failed(e.getMessage());
        }
    }

    static RegistryClient registry(ProducerConfig config) {
        RegistryClient client = new RegistryClient(config.schemaRegistryUrl());
        try {
            client.ping();
        } catch (RegistryException e) {
            throw new Failed(e.getMessage() + " (--schema-registry-url; the stream-aggregator embeds one when started "
                    + "without that flag)");
        }
        return client;
    }
}
