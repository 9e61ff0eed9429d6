package dev.tokenpool.standalone;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.runtime.ServiceMain;
import dev.tokenpool.runtime.Settings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM: an embedded KRaft broker (unless TOKENPOOL_BOOTSTRAP_SERVERS names one),
 * the processor and the gateway, listening on loopback only unless TOKENPOOL_HTTP_HOST says otherwise.
 * Its settings and their standalone defaults are in {@link Settings}; an admin key and a master key the
 * operator did not give are generated once and kept in the data directory. A start that does not finish
 * in time stops the process instead of leaving it half up.
 */
public final class StandaloneMain {
    private static final Logger log = LoggerFactory.getLogger(StandaloneMain.class);

    private StandaloneMain() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run("tokenpool", StandaloneMain::start);
    }

    /**
     * The settings of the standalone: the environment, with the standalone's own defaults where it says nothing
     * (loopback only, its own broker, state and keys in the data directory).
     */
    static Env settings(Env given) {
        Path dataDir = dataDir(given);
        java.util.Map<String, String> defaults = new java.util.HashMap<>(Settings.standaloneDefaults());
        defaults.put(Settings.BOOTSTRAP_SERVERS.name(), EmbeddedKafka.HOST + ":" + Settings.KAFKA_PORT.from(given));
        defaults.put(Settings.STATE_DIR.name(), dataDir.resolve("state").toString());
        return given.withDefaults(defaults);
    }

    private static Path dataDir(Env env) {
        return Path.of(Settings.DATA_DIR.from(env)).toAbsolutePath();
    }

    static void start(Resources resources) throws Exception {
        Env given = Env.system();
        Path dataDir = dataDir(given);
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        if (Settings.ADMIN_KEY.from(given) == null) {
            Path file = dataDir.resolve("admin-key");
            keys.put(Settings.ADMIN_KEY.name(), SecretFile.readOrCreate(file, ApiKeys::generateAdminKey));
            log.info("{} is not set: the admin API takes the key kept in {}", Settings.ADMIN_KEY.name(), file);
        }
        if (Settings.MASTER_KEY.from(given) == null) {
            keys.put(Settings.MASTER_KEY.name(), LocalMasterKey.ensure(dataDir));
        }
        Env env = settings(given).withDefaults(keys);
        ProcessorSettings processorSettings = ProcessorSettings.from(env);
        GatewaySettings gatewaySettings = GatewaySettings.from(env);
        String bootstrap = processorSettings.bootstrapServers();
        if (given.textOrNull(Settings.BOOTSTRAP_SERVERS.name()) == null) { // no cluster named: its own broker
            resources.add(EmbeddedKafka.start(
                    dataDir.resolve("kafka"), Settings.KAFKA_PORT.from(env), Settings.KAFKA_CONTROLLER_PORT.from(env)));
        } else {
            log.info("using the Kafka cluster at {}", bootstrap);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorService processor = resources.add(ProcessorService.start(processorSettings, registry));
        Gateway gateway = resources.add(Gateway.start(
                gatewaySettings, registry, Settings.LOCAL_READS.from(env) ? processor.localReads()::read : null));
        gateway.addReadinessCheck("stores", processor::isRunning);
        String apiKey = DemoProject.ensure(gateway, dataDir);
        log.info("waiting for the processor to take its partitions ...");
        processor.awaitRunning(Settings.START_TIMEOUT.from(env));
        String adminKey = gatewaySettings.adminKey();

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
