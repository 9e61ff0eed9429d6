package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml describes the deployment ./tokenpool cluster runs, with the same settings. */
class DeploymentRecipeTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("../docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.get("environment");
    }

    private static Map<String, Map<String, Object>> named(String prefix) throws IOException {
        Map<String, Map<String, Object>> chosen = new java.util.TreeMap<>();
        services().forEach((name, service) -> {
            if (name.startsWith(prefix)) {
                chosen.put(name, service);
            }
        });
        return chosen;
    }

    @Test
    void shouldRunAsManyOfEachPartAsTheLocalCluster() throws IOException {
        assertThat(named("kafka-")).hasSize(LocalCluster.NODES);
        assertThat(named("processor-")).hasSize(LocalCluster.PROCESSORS);
        assertThat(named("gateway-")).hasSize(LocalCluster.GATEWAYS);
    }

    @Test
    void shouldGiveEveryKafkaNodeTheLocalClustersSettings() throws IOException {
        for (Map.Entry<String, Map<String, Object>> node : named("kafka-").entrySet()) {
            Map<String, Object> env = environment(node.getValue());
            LocalCluster.BROKER_SETTINGS.forEach((name, value) -> assertThat(String.valueOf(
                            env.get("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'))))
                    .as(node.getKey() + " " + name)
                    .isEqualTo(value));
            assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).split(","))
                    .hasSize(LocalCluster.NODES);
        }
    }

    @Test
    void shouldGiveEveryProcessorTheLocalClustersSettings() throws IOException {
        for (Map.Entry<String, Map<String, Object>> processor :
                named("processor-").entrySet()) {
            Map<String, Object> env = environment(processor.getValue());
            LocalCluster.PROCESSOR_SETTINGS.forEach((name, value) -> assertThat(String.valueOf(env.get(name)))
                    .as(processor.getKey() + " " + name)
                    .isEqualTo(value));
            assertThat(String.valueOf(env.get("TOKENPOOL_BOOTSTRAP_SERVERS")).split(","))
                    .hasSize(LocalCluster.NODES);
            assertThat(env.get("TOKENPOOL_INSTANCE_ID")).isEqualTo(processor.getKey());
        }
        for (Map.Entry<String, Map<String, Object>> gateway : named("gateway-").entrySet()) {
            assertThat(environment(gateway.getValue()))
                    .as("every gateway the same master key, so each opens the secrets another sealed")
                    .containsKey("TOKENPOOL_MASTER_KEY")
                    .containsKey("TOKENPOOL_INTERNAL_KEY");
            assertThat(String.valueOf(environment(gateway.getValue()).get("TOKENPOOL_PROCESSOR_URLS"))
                            .split(","))
                    .as("reads routed to any of the processors")
                    .hasSize(LocalCluster.PROCESSORS);
        }
    }
}
