package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.ReplicationCheck;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * The deployment of {@code ./tokenpool cluster} — three Kafka nodes, two processors with standbys, two gateways,
 * each a JVM of its own — under continuous load through both gateways (adds, deletes by IDs, keyed deletes by
 * count and uses), through each fault in turn: kill -9 of the Kafka node that leads the first project's commands
 * partition, of the one that coordinates a processor's transactions, of a processor, and a rolling restart of
 * every process. Then nothing acknowledged is lost, nothing is applied twice, no pool holds a token nobody added;
 * the longest time each project went without an answer during each fault goes to
 * {@code target/cluster-chaos-report.txt}.
 *
 * <p>{@code -Dcluster.faults=leader,coordinator,processor,rolling} chooses the faults (CI runs {@code leader});
 * {@code -Dcluster.projects=N} the number of projects of each kind; {@code -Dcluster.processorSettings} and
 * {@code -Dcluster.brokerSettings} ({@code name=value;…}) try other settings.
 */
class ClusterChaosIT {
    private static final Duration READY = Duration.ofMinutes(4);
    private static final List<String> FAULTS =
            List.of(System.getProperty("cluster.faults", "leader").split(","));
    private static final int PROJECTS = Integer.getInteger("cluster.projects", 3);

    /** Settings to try, from a system property: {@code name=value;name=value}. */
    private static Map<String, String> settings(String property) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : System.getProperty(property, "").split(";")) {
            if (!setting.isBlank()) {
                settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        return settings;
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldLoseNothingAndDoubleNothingThroughEveryFault() throws Exception {
        LocalCluster cluster = new LocalCluster(
                DataDirs.dir("cluster-chaos"),
                LocalCluster.Ports.free(),
                System.getProperty("java.class.path"),
                settings("cluster.processorSettings"),
                settings("cluster.brokerSettings"));
        try {
            cluster.start(READY);
            checkReplication(cluster);
            run(cluster);
        } finally {
            cluster.stop();
        }
    }

    private void run(LocalCluster cluster) throws Exception {
        List<URI> gateways = List.of(
                URI.create(cluster.gatewayUrl(0) + "/v3/submission/tokens"),
                URI.create(cluster.gatewayUrl(1) + "/v3/submission/tokens"));
        AnswerTimes answers = new AnswerTimes();
        Map<String, String> projectKeys = new LinkedHashMap<>();
        Map<String, Ledger> ledgers = new LinkedHashMap<>();
        List<String> watched = new ArrayList<>();
        List<AutoCloseable> loads = new ArrayList<>();
        List<KeyedLoad> keyed = new ArrayList<>();
        for (int p = 0; p < PROJECTS; p++) {
            JsonNode pool = createProject(cluster, "pool-" + p);
            String id = pool.path("projectId").asText();
            projectKeys.put(id, pool.path("apiKey").asText());
            watched.add(id);
            Ledger ledger = new Ledger();
            ledgers.put(id, ledger);
            loads.add(new PoolLoad(gateways, pool.path("apiKey").asText(), ledger, 2, answers.of(id)));
            JsonNode side = createProject(cluster, "keyed-" + p);
            String sideId = side.path("projectId").asText();
            watched.add(sideId);
            KeyedLoad load =
                    new KeyedLoad(gateways, side.path("apiKey").asText(), "keyed" + p, 4_000, answers.of(sideId));
            keyed.add(load);
            loads.add(load);
        }
        Thread.sleep(5_000);

        Map<String, String> worst = new LinkedHashMap<>();
        List<String> report = new ArrayList<>();
        for (String fault : FAULTS) {
            long from = System.nanoTime();
            String what = inject(cluster, fault.strip(), watched.getFirst());
            Thread.sleep(5_000); // answers settle after the recovery
            long to = System.nanoTime();
            Duration longest = Duration.ZERO;
            Duration slowest = Duration.ZERO;
            long failed = 0;
            for (String project : watched) {
                Duration gap = answers.longestGap(project, from, to);
                Duration slow = answers.slowest(project, from, to);
                long notAcknowledged = answers.notAcknowledged(project, from, to);
                report.add(
                        "%-12s project %s: longest without an answer %5.1f s, slowest request %5.1f s, %d not acknowledged"
                                .formatted(
                                        fault,
                                        project,
                                        gap.toMillis() / 1000.0,
                                        slow.toMillis() / 1000.0,
                                        notAcknowledged));
                longest = gap.compareTo(longest) > 0 ? gap : longest;
                slowest = slow.compareTo(slowest) > 0 ? slow : slowest;
                failed += notAcknowledged;
            }
            worst.put(
                    fault,
                    "%s: longest a project went without an answer %.1f s, slowest request %.1f s, %d requests not acknowledged"
                            .formatted(what, longest.toMillis() / 1000.0, slowest.toMillis() / 1000.0, failed));
        }
        for (AutoCloseable load : loads) {
            load.close();
        }
        for (KeyedLoad load : keyed) {
            load.resolve(Duration.ofMinutes(2));
        }

        worst.forEach((fault, summary) -> report.add("fault " + fault + ": " + summary));
        for (String project : projectKeys.keySet()) {
            Ledger ledger = ledgers.get(project);
            PoolCheck.Result check = PoolCheck.run(gateways.getFirst(), projectKeys.get(project), ledger);
            report.add("%s: %d requests, %d acknowledged; pool %d tokens, lost %d, came back %d, phantom %d"
                    .formatted(
                            project,
                            ledger.requests.get(),
                            ledger.acknowledged.get(),
                            check.present(),
                            check.lost().size(),
                            check.resurrected().size(),
                            check.phantoms()));
            assertThat(check.lost()).as("acknowledged adds lost in " + project).isEmpty();
            assertThat(check.resurrected())
                    .as("acknowledged deletes undone in " + project)
                    .isEmpty();
            assertThat(check.phantoms()).as("tokens nobody added in " + project).isZero();
            assertThat(ledger.lostOnDelete).isEmpty();
        }
        // The check above read every token through the first gateway: after its first read of a partition, the
        // reads go to the processor that holds the pool.
        assertThat(RoutedReadsIT.reads(cluster.gatewayUrl(0), "routed"))
                .as("reads routed to the processor that holds the pool")
                .isPositive();
        for (KeyedLoad load : keyed) {
            report.add("keyed load: " + load.requests() + " requests, each answered once");
            assertThat(load.violations())
                    .as("keyed deletes and uses applied exactly once")
                    .isEmpty();
        }
        Files.write(Path.of("target/cluster-chaos-report.txt"), report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    /** tokenpool's topics are as safe as the cluster allows; a topic created with one replica is said to fall short. */
    private static void checkReplication(LocalCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            List<String> topics =
                    new ArrayList<>(List.of(Topics.COMMANDS, Topics.PROJECTS, Topics.EVENTS, Topics.AUDIT));
            topics.add("tokenpool-processor-pool-tokens-changelog");
            assertThat(ReplicationCheck.shortfalls(admin, topics)).isEmpty();
            admin.createTopics(List.of(new NewTopic("lonely", 1, (short) 1)))
                    .all()
                    .get();
            assertThat(ReplicationCheck.shortfalls(admin, List.of("lonely")))
                    .singleElement()
                    .asString()
                    .contains("1 replica(s) on a cluster of 3 brokers");
        }
    }

    /** Injects one fault and waits until the cluster has recovered from it; says what it did. */
    private String inject(LocalCluster cluster, String fault, String project) throws Exception {
        return switch (fault) {
            case "leader" -> {
                int leader = leaderOfProjectPartition(cluster, project);
                killAndRestartBroker(cluster, leader);
                yield "kill -9 of Kafka node " + leader + ", leader of " + project + "'s partition";
            }
            case "coordinator" -> {
                int coordinator = transactionCoordinator(cluster);
                killAndRestartBroker(cluster, coordinator);
                yield "kill -9 of Kafka node " + coordinator + ", a transaction coordinator";
            }
            case "processor" -> {
                ClusterProcess processor = cluster.processors().getFirst();
                processor.kill9();
                Thread.sleep(15_000); // the other instance takes over from its standbys meanwhile
                processor.start();
                cluster.awaitProcessor(0, READY);
                yield "kill -9 of processor-1, restarted 15 s later";
            }
            case "rolling" -> {
                for (int i = 0; i < cluster.brokers().size(); i++) {
                    cluster.brokers().get(i).stop(Duration.ofSeconds(60));
                    cluster.brokers().get(i).start();
                    awaitFullyReplicated(cluster);
                }
                for (int i = 0; i < cluster.processors().size(); i++) {
                    cluster.processors().get(i).stop(Duration.ofSeconds(60));
                    cluster.processors().get(i).start();
                    cluster.awaitProcessor(i, READY);
                }
                for (int i = 0; i < cluster.gateways().size(); i++) {
                    cluster.gateways().get(i).stop(Duration.ofSeconds(60));
                    cluster.gateways().get(i).start();
                    cluster.awaitGateway(i, READY);
                }
                yield "rolling restart of every process, one at a time";
            }
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        };
    }

    private void killAndRestartBroker(LocalCluster cluster, int nodeId) throws Exception {
        ClusterProcess broker = cluster.brokers().get(nodeId - 1);
        broker.kill9();
        Thread.sleep(10_000);
        broker.start();
        awaitFullyReplicated(cluster);
    }

    /** The Kafka node that leads the commands partition of {@code project}. */
    private static int leaderOfProjectPartition(LocalCluster cluster, String project) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            TopicDescription commands = admin.describeTopics(List.of(Topics.COMMANDS))
                    .allTopicNames()
                    .get()
                    .get(Topics.COMMANDS);
            int partition = Utils.toPositive(Utils.murmur2(project.getBytes(StandardCharsets.UTF_8)))
                    % commands.partitions().size();
            return commands.partitions().get(partition).leader().id();
        }
    }

    /** A Kafka node that coordinates one of the processors' transactions. */
    private static int transactionCoordinator(LocalCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            List<String> ids = admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith("tokenpool-processor"))
                    .toList();
            assertThat(ids).as("the processors' transactional IDs").isNotEmpty();
            return admin.describeTransactions(ids.subList(0, 1))
                    .all()
                    .get()
                    .get(ids.getFirst())
                    .coordinatorId();
        }
    }

    /** Waits until every Kafka node is back and every partition of every topic has all its replicas in sync. */
    private static void awaitFullyReplicated(LocalCluster cluster) throws Exception {
        cluster.awaitBrokers(READY);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Deadline.await(
                    READY,
                    () -> {
                        try {
                            var names = admin.listTopics().names().get();
                            return admin.describeTopics(names).allTopicNames().get().values().stream()
                                    .flatMap(topic -> topic.partitions().stream())
                                    .allMatch(ClusterChaosIT::inSync);
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    () -> "every partition fully replicated again");
        }
    }

    private static boolean inSync(TopicPartitionInfo partition) {
        return partition.isr().size() == partition.replicas().size();
    }

    private JsonNode createProject(LocalCluster cluster, String name) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(cluster.gatewayUrl(0) + "/admin/projects"))
                        .header("x-admin-key", cluster.adminKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"poolLimit\":10000000}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode project = Json.parse(created.body().getBytes());
        String apiKey = project.path("apiKey").asText();
        for (int i = 0; i < 2; i++) {
            URI count = URI.create(cluster.gatewayUrl(i) + "/v3/submission/tokens?type=count");
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> http.send(
                                            HttpRequest.newBuilder(count)
                                                    .header("x-api-key", apiKey)
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200,
                    () -> name + " served by both gateways");
        }
        return project;
    }
}
