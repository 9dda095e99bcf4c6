package io.tokenscope.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where Kafka is and how to reach it: bootstrap servers, plus client settings (security
 * protocol, SASL, TLS trust store) read from a properties file given by --kafka-properties, as
 * Kafka's own tools take --command-config. Secrets stay in that file: never on a command line,
 * and never in this object's text, so a config that prints itself shows no password.
 */
public record KafkaConnection(String bootstrap, Map<String, String> clientProperties) {
    public KafkaConnection {
        clientProperties = Map.copyOf(clientProperties);
    }

    public static KafkaConnection plain(String bootstrap) {
        return new KafkaConnection(bootstrap, Map.of());
    }

    /** Reads the client settings file; a problem names the flag and the file. A null file means none. */
    public static KafkaConnection of(String bootstrap, String propertiesFile, String flag) {
        if (propertiesFile == null) {
            return plain(bootstrap);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(propertiesFile))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + propertiesFile + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
        if (settings.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException(flag + ": " + propertiesFile
                    + " sets bootstrap.servers; give the address with --kafka-bootstrap instead");
        }
        return new KafkaConnection(bootstrap, settings);
    }

    /** Settings for any Kafka client: these, then the caller's own on top. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    public String securityProtocol() {
        return clientProperties.getOrDefault("security.protocol", "PLAINTEXT");
    }

    @Override
    public String toString() {
        return bootstrap + " (" + securityProtocol() + ")";
    }
}
