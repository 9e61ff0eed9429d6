package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.ProjectRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processor in JVMs of its own behind a running gateway: killed with kill -9 under load and
 * restarted, or killed while a second instance runs, which takes its partitions over. Nothing
 * acknowledged is lost, nothing appears that nobody sent.
 */
@ExtendWith(KafkaBroker.class)
class ProcessorCrashIT {
    private static final String PROJECT = "p-crash";

    private static Map<String, String> env(String name) {
        Map<String, String> env = new HashMap<>(TokenPoolStack.ownTopics(name));
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
        env.put("TOKENPOOL_APPLICATION_ID", name);
        env.put("TOKENPOOL_COMMAND_PARTITIONS", "4");
        env.put("TOKENPOOL_SESSION_TIMEOUT_MS", "6000");
        return env;
    }

    /** A gateway on the test's topics, with one project; returns the project's API key. */
    private static String project(Gateway gateway) throws Exception {
        String apiKey = ApiKeys.generate();
        gateway.saveProject(ProjectRecord.create(PROJECT, "crash", ApiKeys.hash(apiKey), 1_000_000));
        return apiKey;
    }

    private static Gateway gateway(Map<String, String> env, String id) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        own.put("TOKENPOOL_HTTP_PORT", "0");
        own.put("TOKENPOOL_ADMIN_KEY", "admin");
        own.put("TOKENPOOL_GATEWAY_ID", id);
        return Gateway.start(GatewaySettings.fromEnv(own), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** The gateway's token URL once it is ready, with the project registered. */
    private static URI readyTokens(Gateway gateway) throws Exception {
        Deadline.await(Duration.ofSeconds(30), gateway::isReady, () -> "gateway ready");
        return URI.create("http://localhost:" + gateway.port() + "/v3/submission/tokens");
    }

    /** Runs the load until {@code during} is done and 20 more requests were acknowledged after it. */
    private static void underLoad(URI tokens, String apiKey, Ledger ledger, Deadline.Condition during)
            throws Exception {
        try (PoolLoad load = new PoolLoad(tokens, apiKey, ledger, 8)) {
            Thread.sleep(3_000);
            during.holds();
            long before = ledger.acknowledged.get();
            Deadline.await(
                    Duration.ofSeconds(90),
                    () -> ledger.acknowledged.get() > before + 20,
                    () -> "requests acknowledged again after the crash");
        }
    }

    private static void check(URI tokens, String apiKey, Ledger ledger) throws Exception {
        PoolCheck.Result check = PoolCheck.run(tokens, apiKey, ledger);
        System.out.printf(
                "%d requests, %d acknowledged; pool %d tokens, lost %d, came back %d, phantom %d%n",
                ledger.requests.get(),
                ledger.acknowledged.get(),
                check.present(),
                check.lost().size(),
                check.resurrected().size(),
                check.phantoms());
        assertThat(check.lost()).isEmpty();
        assertThat(check.resurrected()).isEmpty();
        assertThat(check.phantoms()).isZero();
        assertThat(ledger.lostOnDelete).isEmpty();
    }

    @Test
    void shouldLoseNothingWhenTheProcessorAloneIsKilledAndRestarted() throws Exception {
        Map<String, String> env = env("processor-crash-it");
        try (ProcessorProcess processor = new ProcessorProcess(env, "only");
                Gateway gateway = gateway(env, "processor-crash-gw")) {
            processor.start();
            processor.awaitRunning();
            String apiKey = project(gateway);
            URI tokens = readyTokens(gateway);
            Ledger ledger = new Ledger();
            underLoad(tokens, apiKey, ledger, () -> {
                processor.kill9();
                processor.start(); // the same instance ID: it takes its partitions back as soon as it rejoins
                processor.awaitRunning();
                return true;
            });
            check(tokens, apiKey, ledger);
        }
    }

    /**
     * Two instances with a standby copy of every task, as the README advises for more than one: kill the
     * one that runs the project's partition, and the other takes it over from its warm standby (no
     * rebuild from offset 0) with nothing lost.
     */
    @Test
    void shouldLetTheOtherInstanceTakeOverFromItsStandbyWhenOneIsKilled() throws Exception {
        Map<String, String> env = env("takeover-it");
        env.put("TOKENPOOL_STANDBY_REPLICAS", "1");
        try (ProcessorProcess first = new ProcessorProcess(env, "first");
                ProcessorProcess second = new ProcessorProcess(env, "second");
                Gateway gateway = gateway(env, "takeover-gw")) {
            first.start();
            second.start();
            first.awaitRunning();
            second.awaitRunning();
            String apiKey = project(gateway);
            URI tokens = readyTokens(gateway);
            Ledger ledger = new Ledger();
            TopicPartition pool = new TopicPartition(
                    "takeover-it.commands",
                    Utils.toPositive(Utils.murmur2(PROJECT.getBytes(StandardCharsets.UTF_8))) % 4);
            ProcessorProcess[] survivor = new ProcessorProcess[1];
            int[] survivorLogBefore = new int[1];
            underLoad(tokens, apiKey, ledger, () -> {
                boolean firstRunsThePool = instanceRunning("takeover-it", pool).startsWith("first");
                ProcessorProcess victim = firstRunsThePool ? first : second;
                survivor[0] = firstRunsThePool ? second : first;
                survivorLogBefore[0] = survivor[0].log().length();
                victim.kill9(); // and it does not come back: the other instance takes over its partitions
                return true;
            });
            assertThat(survivor[0].running()).isTrue();
            String takeover = survivor[0].log().substring(survivorLogBefore[0]);
            assertThat(RestoreLines.startOffsets(takeover, "pool-tokens"))
                    .as("the pool's token store taken over from the standby, not rebuilt from offset 0:%n%s", takeover)
                    .allMatch(offset -> offset > 0);
            check(tokens, apiKey, ledger);
        }
    }

    /**
     * The static member ID ("instance-thread") of the group member whose active task reads {@code
     * partition}, once the group has settled on one.
     */
    private static String instanceRunning(String applicationId, TopicPartition partition) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            String[] owner = new String[1];
            Deadline.await(
                    Duration.ofSeconds(60),
                    () -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                                .all()
                                .get()
                                .get(applicationId);
                        group.members().stream()
                                .filter(member ->
                                        member.assignment().topicPartitions().contains(partition))
                                .forEach(member ->
                                        owner[0] = member.groupInstanceId().orElseThrow());
                        return owner[0] != null;
                    },
                    () -> "a member running " + partition);
            return owner[0];
        }
    }
}
