package io.tokenscope.producer.drive;

import java.net.URI;
import java.net.URISyntaxException;

/** A parsed OpenAI-compatible base URL, e.g. http://127.0.0.1:8000 or https://host/v1. */
public record Endpoint(String url, String host, int port, boolean ssl, String basePath) {

    public static Endpoint parse(String url, String flag) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " is not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(flag + " must start with http:// or https://, got '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(flag + " has no host: '" + url + "'");
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - 3);
        }
        return new Endpoint(url.replaceAll("/+$", ""), uri.getHost(), port, ssl, path);
    }

    public String path(String apiPath) {
        return basePath + apiPath;
    }
}
