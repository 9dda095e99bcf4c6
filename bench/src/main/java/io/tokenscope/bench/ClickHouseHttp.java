package io.tokenscope.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** ClickHouse's HTTP interface as the benchmarks use it: a query, with values for its {name:Type} parameters. */
public record ClickHouseHttp(String url, HttpClient http) {
    public ClickHouseHttp(String url) {
        this(url, HttpClient.newHttpClient());
    }

    public String sql(String query) throws IOException, InterruptedException {
        return sql(query, Map.of());
    }

    public String sql(String query, Map<String, String> params) throws IOException, InterruptedException {
        StringBuilder target = new StringBuilder(url).append("/?");
        params.forEach((k, v) -> target.append("param_").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target.toString()))
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("ClickHouse rejected a query (" + r.statusCode() + "): " + r.body().strip() + "\n" + query);
        }
        return r.body();
    }

    /** A one-number answer; 0 when empty. */
    public long count(String query) throws IOException, InterruptedException {
        String s = sql(query).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }
}
