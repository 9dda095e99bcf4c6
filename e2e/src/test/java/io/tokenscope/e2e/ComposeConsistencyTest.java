package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokenscope.aggregator.AggregatorConfig;
import io.tokenscope.producer.ProducerConfig;
import io.tokenscope.sim.SimConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked against the code:
 * every app's command line parses with that app's own flag parser, every address it names is a
 * service of the file listening on that port, the jars are the ones the build makes, and
 * Grafana's mounts and datasource agree with the provisioning files and the dashboards.
 */
class ComposeConsistencyTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonNode services;

    @BeforeAll
    static void read() throws Exception {
        services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services");
        assertTrue(services.isObject() && services.size() > 0, "docker-compose.yml has no services");
    }

    /** The arguments after "-jar JAR" in a service's command, checking the jar is the build's. */
    private static String[] appArgs(String service, String module) {
        List<String> command = new ArrayList<>();
        services.path(service).path("command").forEach(c -> command.add(c.asText()));
        int jar = command.indexOf("-jar");
        assertTrue(jar >= 0, service + " does not run a jar: " + command);
        assertEquals(module + "/target/" + module + "-app.jar", command.get(jar + 1), service + "'s jar");
        return command.subList(jar + 2, command.size()).toArray(String[]::new);
    }

    private static void assertServiceListens(String hostPort, String by) {
        URI uri = URI.create(hostPort.contains("://") ? hostPort : "tcp://" + hostPort);
        String host = uri.getHost();
        assertTrue(services.has(host), by + " names " + host + ", which is not a service of docker-compose.yml");
        int port = uri.getPort();
        int listens = switch (host) {
            case "kafka" -> portIn(services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText());
            case "schema-registry" -> portIn(services.path("schema-registry").path("environment")
                    .path("SCHEMA_REGISTRY_LISTENERS").asText());
            case "clickhouse" -> 8123; // the server image's HTTP port
            case "llm-sim" -> SimConfig.parse(appArgs("llm-sim", "llm-sim")).port();
            default -> throw new AssertionError("no rule for the port of " + host);
        };
        assertEquals(listens, port, by + " uses " + hostPort + " but " + host + " listens on " + listens);
    }

    private static int portIn(String listener) {
        return URI.create(listener.split(",")[0]).getPort();
    }

    @Test
    void everyAppCommandParsesAndPointsAtServicesOfTheFile() {
        SimConfig sim = SimConfig.parse(appArgs("llm-sim", "llm-sim"));
        assertEquals("0.0.0.0", sim.host(), "the simulator must listen beyond its container");

        AggregatorConfig aggregator = AggregatorConfig.parse(appArgs("aggregator", "stream-aggregator"));
        assertServiceListens(aggregator.kafka().bootstrap(), "aggregator --kafka-bootstrap");
        assertServiceListens(aggregator.schemaRegistryUrl(), "aggregator --schema-registry-url");
        assertServiceListens(aggregator.clickhouseUrl(), "aggregator --clickhouse-url");

        ProducerConfig producer = ProducerConfig.parse(appArgs("producer", "load-producer"));
        assertServiceListens(producer.endpoint().url(), "producer --endpoint");
        assertServiceListens(producer.kafka().bootstrap(), "producer --kafka-bootstrap");
        assertServiceListens(producer.schemaRegistryUrl(), "producer --schema-registry-url");
        assertEquals(aggregator.telemetryTopic(), producer.topic(), "producer and aggregator must share the topic");
    }

    @Test
    void startOrderWaitsOnHealthChecks() {
        services.fields().forEachRemaining(service -> service.getValue().path("depends_on").fields()
                .forEachRemaining(dep -> {
                    String on = dep.getKey();
                    assertTrue(services.has(on), service.getKey() + " depends on missing service " + on);
                    if (dep.getValue().path("condition").asText().equals("service_healthy")) {
                        assertFalse(services.path(on).path("healthcheck").isMissingNode(),
                                service.getKey() + " waits for " + on + " to be healthy, but it has no healthcheck");
                    }
                }));
        for (String s : List.of("kafka", "schema-registry", "clickhouse", "llm-sim")) {
            assertFalse(services.path(s).path("healthcheck").isMissingNode(), s + " has no healthcheck");
        }
        assertEquals("service_healthy", services.path("aggregator").path("depends_on").path("kafka").path("condition").asText());
        assertEquals("service_healthy", services.path("aggregator").path("depends_on").path("clickhouse").path("condition")
                .asText());
    }

    @Test
    void grafanaMountsTheProvisioningItsDatasourceAndDashboardsExpect() throws Exception {
        JsonNode grafana = services.path("grafana");
        assertTrue(grafana.path("environment").path("GF_INSTALL_PLUGINS").asText().contains("grafana-clickhouse-datasource"));
        List<String> volumes = new ArrayList<>();
        grafana.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertTrue(volumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"), volumes.toString());
        String dashboardsMount = volumes.stream().filter(v -> v.startsWith("./grafana/dashboards:")).findFirst()
                .orElseThrow(() -> new AssertionError("grafana/dashboards is not mounted: " + volumes));
        String inContainer = dashboardsMount.split(":")[1];

        JsonNode provider = YAML.readTree(ROOT.resolve("grafana/provisioning/dashboards/tokenscope.yaml").toFile())
                .path("providers").get(0);
        assertEquals(inContainer, provider.path("options").path("path").asText(), "dashboard provider path");

        JsonNode ds = YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/clickhouse.yaml").toFile())
                .path("datasources").get(0);
        assertEquals("grafana-clickhouse-datasource", ds.path("type").asText());
        assertServiceListens(ds.path("jsonData").path("host").asText() + ":" + ds.path("jsonData").path("port").asInt(),
                "the Grafana datasource");
        AggregatorConfig aggregator = AggregatorConfig.parse(appArgs("aggregator", "stream-aggregator"));
        assertEquals(aggregator.clickhouseDatabase(), ds.path("jsonData").path("defaultDatabase").asText(),
                "Grafana reads the database the aggregator writes");
        String password = ds.path("secureJsonData").path("password").asText();
        if (password.startsWith("${")) {
            String env = password.substring(2, password.length() - 1);
            assertFalse(grafana.path("environment").path(env).isMissingNode(), "Grafana's environment lacks " + env);
            assertFalse(services.path("aggregator").path("environment").path(env).isMissingNode(),
                    "the aggregator's environment lacks " + env);
        }

        String uid = ds.path("uid").asText();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path f : files.toList()) {
                JsonNode d = json.readTree(f.toFile());
                for (JsonNode p : d.path("panels")) {
                    assertEquals(uid, p.path("datasource").path("uid").asText(), f + ": " + p.path("title").asText());
                }
                for (JsonNode v : d.path("templating").path("list")) {
                    if (v.path("name").asText().equals("db")) {
                        assertEquals(aggregator.clickhouseDatabase(), v.path("query").asText(), f + ": $db");
                    }
                }
            }
        }
    }
}
