package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Deadline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A start that fails half way closes what it had opened: no client, no thread is left to keep the JVM up. */
@ExtendWith(KafkaBroker.class)
class StartFailureIT {

    /** Threads still alive whose name mentions {@code marker} (client IDs and loop names carry the gateway ID). */
    private static List<String> threadsNaming(String marker) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(marker))
                .toList();
    }

    private static long adminClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("kafka-admin-client-thread"))
                .count();
    }

    @Test
    void shouldCloseEverythingAGatewayOpenedWhenItsPortIsTaken() throws Exception {
        String id = "start-failure-gw";
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> env = new HashMap<>();
            env.put("TOKENPOOL_PROJECTS_TOPIC", "start-failure-it.projects");
            env.put("TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX", "start-failure-it.gateway-replies.");
            env.put("TOKENPOOL_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
            env.put("TOKENPOOL_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            env.put("TOKENPOOL_ADMIN_KEY", "admin");
            env.put("TOKENPOOL_GATEWAY_ID", id);
            GatewaySettings settings = GatewaySettings.fromEnv(env);

            assertThatThrownBy(() -> Gateway.start(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                    .hasStackTraceContaining("Address already in use");
        }
        Deadline.await(
                Duration.ofSeconds(10),
                () -> threadsNaming(id).isEmpty(),
                () -> "threads of the failed gateway still alive: " + threadsNaming(id));
    }

    @Test
    void shouldCloseItsAdminClientWhenAProcessorCannotStart() throws Exception {
        long before = adminClientThreads();
        Path notADirectory = DataDirs.file("tokenpool-state", ".file");
        Map<String, String> env = new HashMap<>();
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
        env.put("TOKENPOOL_APPLICATION_ID", "start-failure-it");
        env.put("TOKENPOOL_COMMANDS_TOPIC", "start-failure-it.commands");
        env.put("TOKENPOOL_DEAD_LETTER_TOPIC", "start-failure-it.dead-letters");
        env.put("TOKENPOOL_PROJECTS_TOPIC", "start-failure-it.projects");
        env.put("TOKENPOOL_STATE_DIR", notADirectory.toString());

        assertThatThrownBy(() -> ProcessorService.start(
                ProcessorSettings.fromEnv(env), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));

        Deadline.await(
                Duration.ofSeconds(10),
                () -> adminClientThreads() <= before,
                () -> "admin client threads: " + adminClientThreads() + ", before the failed start: " + before);
    }
}
