package dev.tokenpool.standalone;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.runtime.ServiceMain;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM: an embedded KRaft broker (unless TOKENPOOL_BOOTSTRAP_SERVERS names one),
 * the processor and the gateway, listening on loopback only unless TOKENPOOL_HTTP_HOST says otherwise.
 * Environment: TOKENPOOL_HTTP_PORT [8080], TOKENPOOL_HTTP_HOST [127.0.0.1], TOKENPOOL_ADMIN_KEY [one generated
 * and kept in the data dir], TOKENPOOL_DATA_DIR [./tokenpool-data], TOKENPOOL_BOOTSTRAP_SERVERS,
 * TOKENPOOL_KAFKA_PORT [9092], TOKENPOOL_KAFKA_CONTROLLER_PORT [9093], TOKENPOOL_START_TIMEOUT_MS
 * [300000], TOKENPOOL_MASTER_KEY [one generated and kept in the data dir], TOKENPOOL_LOCAL_READS [true:
 * lookups, lists and counts are read from the processor's stores in this JVM]. A start that does not finish
 * in time stops the process instead of leaving it half up.
 */
public final class StandaloneMain {
    private static final Logger log = LoggerFactory.getLogger(StandaloneMain.class);
    /** Safe by default: the standalone is for one machine; another host reaches it only when the operator says so. */
    static final String LOOPBACK = "127.0.0.1";

    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run("tokenpool", StandaloneMain::start);
    }

    /** The standalone's Kafka: the cluster TOKENPOOL_BOOTSTRAP_SERVERS names, else its own broker on TOKENPOOL_KAFKA_PORT. */
    static KafkaConnection kafka(Env env) {
        KafkaConnection kafka = KafkaConnection.from(env);
        return env.textOrNull(KafkaConnection.BOOTSTRAP_VARIABLE) != null ? kafka
                : kafka.at(EmbeddedKafka.HOST + ":" + kafkaPort(env));
    }

    private static int kafkaPort(Env env) {
        return env.integer("TOKENPOOL_KAFKA_PORT", 9092, 1, 65_535);
    }

    static void start(Resources resources) throws Exception {
        Map<String, String> variables = System.getenv();
        Env env = new Env(variables);
        Path dataDir = Path.of(env.text("TOKENPOOL_DATA_DIR", "tokenpool-data")).toAbsolutePath();
        int httpPort = env.integer("TOKENPOOL_HTTP_PORT", 8080, 0, 65_535);
        Duration startTimeout = env.millis("TOKENPOOL_START_TIMEOUT_MS", 300_000, 1_000, Long.MAX_VALUE);
        String adminKey = env.textOrNull("TOKENPOOL_ADMIN_KEY");
        Path adminKeyFile = dataDir.resolve("admin-key");
        if (adminKey == null) {
            adminKey = SecretFile.readOrCreate(adminKeyFile, ApiKeys::generateAdminKey);
            log.info("TOKENPOOL_ADMIN_KEY is not set: the admin API takes the key kept in {}", adminKeyFile);
        }
        ProcessorSettings processorSettings = ProcessorSettings.fromEnv(variables);
        GatewaySettings gatewaySettings = GatewaySettings.fromEnv(variables);
        if (!gatewaySettings.masterKeys().present()) {
            gatewaySettings = gatewaySettings.withMasterKeys(LocalMasterKey.ensure(dataDir));
        }

        String bootstrap = env.textOrNull(KafkaConnection.BOOTSTRAP_VARIABLE);
        if (bootstrap == null) {
            EmbeddedKafka broker = resources.add(EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort(env),
                    env.integer("TOKENPOOL_KAFKA_CONTROLLER_PORT", 9093, 1, 65_535)));
            bootstrap = broker.bootstrapServers();
        } else {
            log.info("using the Kafka cluster at {}", bootstrap);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorService processor = resources.add(ProcessorService.start(
                processorSettings.embeddedIn(bootstrap, dataDir.resolve("state"), "standalone"), registry));
        boolean localReads = env.oneOf("TOKENPOOL_LOCAL_READS", "true", Set.of("true", "false")).equals("true");
        Gateway gateway = resources.add(Gateway.start(gatewaySettings.with(bootstrap, httpPort, adminKey,
                env.text("TOKENPOOL_GATEWAY_ID", "standalone")).withHttpHost(env.text("TOKENPOOL_HTTP_HOST", LOOPBACK)), registry,
                localReads ? processor.localReads()::read : null));
        gateway.addReadinessCheck("stores", processor::isRunning);
        String apiKey = DemoProject.ensure(gateway, dataDir);
        log.info("waiting for the processor to take its partitions ...");
        processor.awaitRunning(startTimeout);

        String url = "http://localhost:" + gateway.port();
        System.out.printf("""

                tokenpool is running (Ctrl-C stops it; data stays in %3$s)
                  API:       %1$s/v3/submission/tokens   (OpenAPI: %1$s/openapi.yaml)
                  health:    %1$s/health/ready           metrics: %1$s/metrics
                  Kafka:     %2$s
                  demo project API key: %4$s   (also in %3$s/demo-api-key)
                  admin key:            %5$s   (admin API; also in %3$s/admin-key unless TOKENPOOL_ADMIN_KEY set it)

                  try it:
                  curl -X POST '%1$s/v3/submission/tokens' -H 'x-api-key: %4$s' -H 'Content-Type: text/plain' \\
                       -d '{"tokenId": ["user001a", "api.key.01", "token-123-abc", "session_data_01"]}'

                """, url, bootstrap, dataDir, apiKey, adminKey);
    }
}
