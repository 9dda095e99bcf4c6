package io.tokenscope.producer.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An https metrics URL is read over TLS: the first bytes on the wire are a TLS handshake, not a plain GET. */
class CacheScrapeTlsTest {
    @Test
    void httpsMetricsUrlSpeaksTls() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> firstBytes = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.readNBytes(3);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CacheScrape scrape = new CacheScrape(vertx, "https://127.0.0.1:" + server.getLocalPort() + "/metrics", null, null);
            assertNull(scrape.read(), "no server answers, so no reading");
            byte[] head = firstBytes.get(10, TimeUnit.SECONDS);
            // 0x16: a TLS handshake record; a plain request would begin "GET".
            assertEquals(0x16, head[0] & 0xff, "first byte " + new String(head));
            scrape.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
