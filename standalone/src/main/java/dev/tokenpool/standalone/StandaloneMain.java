package dev.tokenpool.standalone;

import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.processor.ProcessorService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM: an embedded KRaft broker (unless TOKENPOOL_BOOTSTRAP_SERVERS names one),
 * the processor and the gateway. Environment: TOKENPOOL_HTTP_PORT [8080], TOKENPOOL_ADMIN_KEY
 * [dev-admin-key], TOKENPOOL_DATA_DIR [./tokenpool-data], TOKENPOOL_BOOTSTRAP_SERVERS,
 * TOKENPOOL_KAFKA_PORT [9092], TOKENPOOL_KAFKA_CONTROLLER_PORT [9093].
 */
public final class StandaloneMain {
    private static final Logger log = LoggerFactory.getLogger(StandaloneMain.class);
    static final String DEV_ADMIN_KEY = "dev-admin-key";

    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("TOKENPOOL_DATA_DIR", "tokenpool-data")).toAbsolutePath();
        int httpPort = Integer.parseInt(env.getOrDefault("TOKENPOOL_HTTP_PORT", "8080"));
        String adminKey = env.get("TOKENPOOL_ADMIN_KEY");
        if (adminKey == null || adminKey.isEmpty()) {
            adminKey = DEV_ADMIN_KEY;
            log.warn("TOKENPOOL_ADMIN_KEY is not set: the admin API accepts the development key '{}'", DEV_ADMIN_KEY);
        }

        EmbeddedKafka broker = null;
        String bootstrap = env.get("TOKENPOOL_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            log.info("starting embedded Kafka broker ...");
            broker = EmbeddedKafka.start(dataDir.resolve("kafka"),
                    Integer.parseInt(env.getOrDefault("TOKENPOOL_KAFKA_PORT", "9092")),
                    Integer.parseInt(env.getOrDefault("TOKENPOOL_KAFKA_CONTROLLER_PORT", "9093")));
            bootstrap = broker.bootstrapServers();
        } else {
            log.info("using the Kafka cluster at {}", bootstrap);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        log.info("starting processor ...");
        ProcessorService processor = ProcessorService.start(ProcessorSettings.fromEnv(env)
                .withBootstrapServers(bootstrap).withStateDir(dataDir.resolve("state")), registry);
        log.info("starting gateway ...");
        Gateway gateway = Gateway.start(GatewaySettings.fromEnv(env)
                .with(bootstrap, httpPort, adminKey, env.getOrDefault("TOKENPOOL_GATEWAY_ID", "standalone")), registry);
        String apiKey = DemoProject.ensure(gateway, dataDir);
        processor.awaitRunning(Duration.ofMinutes(2));

        EmbeddedKafka embedded = broker;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            processor.close();
            if (embedded != null) {
                embedded.close();
            }
            stopped.countDown();
        }, "shutdown"));

        String url = "http://localhost:" + gateway.port();
        System.out.printf("""

                tokenpool is running
                  API:       %1$s/v3/submission/tokens   (OpenAPI: %1$s/openapi.yaml)
                  health:    %1$s/health/ready           metrics: %1$s/metrics
                  Kafka:     %2$s
                  data:      %3$s
                  demo project API key: %4$s

                  try it:
                  curl -X POST '%1$s/v3/submission/tokens' -H 'x-api-key: %4$s' -H 'Content-Type: text/plain' \\
                       -d '{"tokenId": ["user001a", "api.key.01", "token-123-abc", "session_data_01"]}'

                """, url, bootstrap, dataDir, apiKey);
        stopped.await();
    }
}
