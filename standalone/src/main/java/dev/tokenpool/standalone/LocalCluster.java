package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.GatewayMain;
import dev.tokenpool.processor.ProcessorMain;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import dev.tokenpool.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * tokenpool as a deployment on a cluster, on this machine: three Kafka nodes (each broker and controller; every
 * topic replicated three times, written only once two replicas have it), two processors with a warm standby of
 * every task, and two gateways that send reads to the processor holding the pool — seven JVMs, each with its own
 * ports, data and log under one directory, listening on loopback only. {@code ./tokenpool cluster} runs it ({@link ClusterMain}); the tests drive it to kill and
 * restart any of its processes. The settings here are the deployment recipe of the operations docs.
 */
final class LocalCluster {
    static final int NODES = 3;
    static final int PROCESSORS = 2;
    static final int GATEWAYS = 2;
    static final String HOST = EmbeddedKafka.HOST;
    static final String DESCRIPTION = "cluster.json";

    /**
     * What a production Kafka cluster for tokenpool sets: three replicas of every topic (Kafka's own included), a
     * write acknowledged once two have it, and a dead broker noticed within seconds.
     */
    static final Map<String, String> BROKER_SETTINGS = Map.ofEntries(
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("share.coordinator.state.topic.replication.factor", "3"),
            Map.entry("share.coordinator.state.topic.min.isr", "2"),
            Map.entry("unclean.leader.election.enable", "false"),
            // A crashed producer's open transaction blocks its partitions' readers until it is aborted: look for
            // timed-out transactions every second, not every ten.
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
            // A killed broker is fenced, and its partitions get new leaders, within three seconds (9 s by default).
            // The processors' group (the streams rebalance protocol): a dead instance is given up after six seconds
            // and its tasks move to the instance that holds their standbys, while the other tasks go on.
            Map.entry("group.streams.session.timeout.ms", "6000"),
            Map.entry("group.streams.min.session.timeout.ms", "1000"),
            Map.entry("group.streams.heartbeat.interval.ms", "1000"),
            Map.entry("group.streams.min.heartbeat.interval.ms", "500"),
            Map.entry("group.streams.num.standby.replicas", "1"),
            Map.entry("group.streams.initial.rebalance.delay.ms", "0"),
            Map.entry("broker.heartbeat.interval.ms", "1000"),
            Map.entry("broker.session.timeout.ms", "3000"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4"));

    /**
     * What the processors of the deployment set: the streams rebalance protocol (its session timeout and standbys
     * are the brokers' {@code group.streams.*} above), and a dead instance's open transaction aborted after five
     * seconds.
     */
    static final Map<String, String> PROCESSOR_SETTINGS =
            Map.of(Settings.GROUP_PROTOCOL.name(), "streams", Settings.TRANSACTION_TIMEOUT_MS.name(), "5000");

    /** The ports of every process. */
    record Ports(List<Integer> brokers, List<Integer> controllers, List<Integer> processors, List<Integer> gateways) {
        /** The ports of {@code ./tokenpool cluster}: gateways on 8081 and 8082, Kafka on 29092–29094. */
        static Ports standard() {
            return new Ports(
                    List.of(29092, 29093, 29094),
                    List.of(29192, 29193, 29194),
                    List.of(29281, 29282),
                    List.of(8081, 8082));
        }

        /** Free ports, for tests that run beside other clusters. */
        static Ports free() throws IOException {
            return new Ports(freePorts(NODES), freePorts(NODES), freePorts(PROCESSORS), freePorts(GATEWAYS));
        }

        private static List<Integer> freePorts(int n) throws IOException {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    ports.add(socket.getLocalPort());
                }
            }
            return ports;
        }
    }

    private final Path dir;
    private final Ports ports;
    private final List<ClusterProcess> brokers = new ArrayList<>();
    private final List<ClusterProcess> processors = new ArrayList<>();
    private final List<ClusterProcess> gateways = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminKey;
    private String demoApiKey;

    /**
     * The cluster in {@code dir} (its data stays there across stops), its processes started from {@code classPath};
     * {@code processorSettings} add to or replace the processors' settings.
     */
    LocalCluster(Path dir, Ports ports, String classPath, Map<String, String> processorSettings) throws IOException {
        this(dir, ports, classPath, processorSettings, Map.of());
    }

    /** The same, with {@code brokerSettings} added to or replacing the Kafka nodes' settings. */
    LocalCluster(
            Path dir,
            Ports ports,
            String classPath,
            Map<String, String> processorSettings,
            Map<String, String> brokerSettings)
            throws IOException {
        this.dir = dir.toAbsolutePath();
        this.ports = ports;
        Files.createDirectories(this.dir);
        String clusterId = SecretFile.readOrCreate(
                this.dir.resolve("cluster-id"), () -> Uuid.randomUuid().toString());
        String voters = IntStream.range(0, NODES)
                .mapToObj(i -> (i + 1) + "@" + HOST + ":" + ports.controllers().get(i))
                .collect(Collectors.joining(","));
        for (int i = 0; i < NODES; i++) {
            List<String> arguments = new ArrayList<>(List.of(
                    this.dir.resolve("broker-" + (i + 1)).toString(),
                    Integer.toString(i + 1),
                    Integer.toString(ports.brokers().get(i)),
                    Integer.toString(ports.controllers().get(i)),
                    voters,
                    clusterId));
            Map<String, String> settings = new HashMap<>(BROKER_SETTINGS);
            settings.putAll(brokerSettings);
            settings.forEach((name, value) -> arguments.add(name + "=" + value));
            brokers.add(
                    process("broker-" + (i + 1), BrokerMain.class.getName(), arguments, Map.of(), "768m", classPath));
        }
        this.adminKey = SecretFile.readOrCreate(this.dir.resolve("admin-key"), ApiKeys::generateAdminKey);
        String masterKey = LocalMasterKey.ensure(this.dir);
        String internalKey = SecretFile.readOrCreate(this.dir.resolve("internal-key"), ApiKeys::generate);
        String processorUrls = ports.processors().stream()
                .map(port -> "http://" + HOST + ":" + port)
                .collect(Collectors.joining(","));
        for (int i = 0; i < PROCESSORS; i++) {
            String id = "processor-" + (i + 1);
            Map<String, String> env = new HashMap<>(PROCESSOR_SETTINGS);
            env.put(Settings.BOOTSTRAP_SERVERS.name(), bootstrapServers());
            env.put(Settings.INSTANCE_ID.name(), id);
            env.put(
                    Settings.STATE_DIR.name(),
                    this.dir.resolve(id).resolve("state").toString());
            env.put(Settings.PROCESSOR_HTTP_HOST.name(), HOST);
            env.put(Settings.INTERNAL_KEY.name(), internalKey); // answers the gateways' routed reads
            env.put(
                    Settings.PROCESSOR_HTTP_PORT.name(),
                    Integer.toString(ports.processors().get(i)));
            env.putAll(processorSettings);
            processors.add(process(id, ProcessorMain.class.getName(), List.of(), env, "512m", classPath));
        }
        for (int i = 0; i < GATEWAYS; i++) {
            String id = "gateway-" + (i + 1);
            Map<String, String> env = new HashMap<>();
            env.put(Settings.BOOTSTRAP_SERVERS.name(), bootstrapServers());
            env.put(Settings.GATEWAY_ID.name(), id);
            env.put(Settings.HTTP_HOST.name(), HOST);
            env.put(Settings.HTTP_PORT.name(), Integer.toString(ports.gateways().get(i)));
            env.put(Settings.ADMIN_KEY.name(), adminKey);
            env.put(Settings.MASTER_KEY.name(), masterKey);
            env.put(Settings.INTERNAL_KEY.name(), internalKey);
            env.put(Settings.PROCESSOR_URLS.name(), processorUrls);
            gateways.add(process(id, GatewayMain.class.getName(), List.of(), env, "384m", classPath));
        }
    }

    private ClusterProcess process(
            String name,
            String mainClass,
            List<String> arguments,
            Map<String, String> env,
            String heap,
            String classPath) {
        return new ClusterProcess(
                name,
                mainClass,
                arguments,
                env,
                heap,
                classPath,
                dir.resolve("logs").resolve(name + ".log"));
    }

    /**
     * Starts every process in order and waits for each kind to be ready: the Kafka nodes (all three registered),
     * the processors (running their tasks), the demo project, the gateways (ready to answer).
     */
    void start(Duration timeout) throws Exception {
        for (ClusterProcess broker : brokers) {
            broker.start();
        }
        awaitBrokers(timeout);
        for (ClusterProcess processor : processors) {
            processor.start();
        }
        for (int i = 0; i < PROCESSORS; i++) {
            awaitProcessor(i, timeout);
        }
        demoApiKey = ensureDemoProject();
        for (ClusterProcess gateway : gateways) {
            gateway.start();
        }
        for (int i = 0; i < GATEWAYS; i++) {
            awaitGateway(i, timeout);
        }
        writeDescription();
    }

    /**
     * Stops the gateways, then the processors, then the Kafka nodes, each kind at once with SIGTERM: a Kafka node
     * stopped after the others could no longer reach a quorum of controllers to leave cleanly.
     */
    void stop() throws InterruptedException {
        for (List<ClusterProcess> kind : List.of(gateways, processors, brokers)) {
            kind.forEach(ClusterProcess::terminate);
            for (ClusterProcess process : kind) {
                process.stop(Duration.ofSeconds(60));
            }
        }
    }

    List<ClusterProcess> brokers() {
        return brokers;
    }

    List<ClusterProcess> processors() {
        return processors;
    }

    List<ClusterProcess> gateways() {
        return gateways;
    }

    String bootstrapServers() {
        return ports.brokers().stream().map(port -> HOST + ":" + port).collect(Collectors.joining(","));
    }

    String gatewayUrl(int i) {
        return "http://" + HOST + ":" + ports.gateways().get(i);
    }

    String adminKey() {
        return adminKey;
    }

    String demoApiKey() {
        return demoApiKey;
    }

    Path dir() {
        return dir;
    }

    /** Waits until every Kafka node is registered with the quorum. */
    void awaitBrokers(Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            Deadline.await(
                    timeout,
                    () -> {
                        try {
                            return admin.describeCluster().nodes().get().size() == NODES;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    () -> "all " + NODES + " Kafka nodes registered; logs in " + dir.resolve("logs"));
        }
    }

    /** Waits until processor {@code i} runs its tasks (its /health/ready answers 200). */
    void awaitProcessor(int i, Duration timeout) throws Exception {
        String url = "http://" + HOST + ":" + ports.processors().get(i) + "/health/ready";
        Deadline.await(
                timeout,
                () -> ready(url),
                () -> processors.get(i).name() + " ready; log: "
                        + processors.get(i).log());
    }

    /** Waits until gateway {@code i} is ready to answer (its /health/ready answers 200). */
    void awaitGateway(int i, Duration timeout) throws Exception {
        Deadline.await(
                timeout,
                () -> ready(gatewayUrl(i) + "/health/ready"),
                () -> gateways.get(i).name() + " ready; log: " + gateways.get(i).log());
    }

    private boolean ready(String url) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** The demo project, written to the registry as the standalone's is: its key is kept in the directory. */
    private String ensureDemoProject() throws Exception {
        Path keyFile = dir.resolve("demo-api-key");
        if (Files.exists(keyFile)) {
            return Files.readString(keyFile, StandardCharsets.UTF_8).strip();
        }
        String apiKey = ApiKeys.generate();
        Map<String, Object> config =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(
                config, new StringSerializer(), TokenPoolSerdes.project().serializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.PROJECTS,
                            DemoProject.ID,
                            ProjectRecord.create(
                                    DemoProject.ID,
                                    "Demo project",
                                    ApiKeys.hash(apiKey),
                                    PoolLimits.DEFAULT_POOL_LIMIT)))
                    .get();
        }
        SecretFile.write(keyFile, apiKey);
        return apiKey;
    }

    /** {@value #DESCRIPTION}: where every process listens and its PID, for scripts, tests and {@code stop}. */
    private void writeDescription() throws IOException {
        ObjectNode description = Json.MAPPER.createObjectNode();
        ArrayNode brokerList = description.putArray("brokers");
        for (int i = 0; i < NODES; i++) {
            brokerList
                    .addObject()
                    .put("id", i + 1)
                    .put("bootstrap", HOST + ":" + ports.brokers().get(i))
                    .put("controller", HOST + ":" + ports.controllers().get(i))
                    .put("pid", brokers.get(i).pid().orElse(-1L))
                    .put("log", brokers.get(i).log().toString());
        }
        ArrayNode processorList = description.putArray("processors");
        for (int i = 0; i < PROCESSORS; i++) {
            processorList
                    .addObject()
                    .put("id", processors.get(i).name())
                    .put("pid", processors.get(i).pid().orElse(-1L))
                    .put("httpPort", ports.processors().get(i))
                    .put("log", processors.get(i).log().toString());
        }
        ArrayNode gatewayList = description.putArray("gateways");
        for (int i = 0; i < GATEWAYS; i++) {
            gatewayList
                    .addObject()
                    .put("id", gateways.get(i).name())
                    .put("url", gatewayUrl(i))
                    .put("pid", gateways.get(i).pid().orElse(-1L))
                    .put("log", gateways.get(i).log().toString());
        }
        description.put("bootstrapServers", bootstrapServers());
        description.put("adminKeyFile", dir.resolve("admin-key").toString());
        description.put("demoApiKey", demoApiKey);
        description.put("demoProjectId", DemoProject.ID);
        Files.write(
                dir.resolve(DESCRIPTION),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(description));
    }

    /**
     * Stops the processes {@value #DESCRIPTION} in {@code dir} names (gateways, processors, then Kafka nodes, each
     * with SIGTERM); a PID that now belongs to a process other than tokenpool's is left alone. Returns what it
     * stopped.
     */
    static List<String> stop(Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve(DESCRIPTION);
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode description = Json.parse(Files.readAllBytes(file));
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String kind : List.of("gateways", "processors", "brokers")) {
            for (JsonNode process : description.path(kind)) {
                pids.put(
                        kind.substring(0, kind.length() - 1) + " "
                                + process.path("id").asText(),
                        process.path("pid").asLong());
            }
        }
        List<String> stopped = new ArrayList<>();
        for (String kind : List.of("gateway ", "processor ", "broker ")) {
            List<ProcessHandle> handles = new ArrayList<>();
            pids.forEach((name, pid) -> {
                if (name.startsWith(kind)) {
                    ProcessHandle.of(pid)
                            .filter(ProcessHandle::isAlive)
                            .filter(LocalCluster::isOurs)
                            .ifPresent(handle -> {
                                handle.destroy();
                                handles.add(handle);
                                stopped.add(name);
                            });
                }
            });
            for (ProcessHandle handle : handles) {
                try {
                    handle.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    handle.destroyForcibly();
                }
            }
        }
        return stopped;
    }

    /** Whether {@code cluster.json} in {@code dir} names a process that still runs. */
    static boolean running(Path dir) throws IOException {
        Path file = dir.resolve(DESCRIPTION);
        if (!Files.exists(file)) {
            return false;
        }
        JsonNode description = Json.parse(Files.readAllBytes(file));
        for (String kind : List.of("gateways", "processors", "brokers")) {
            for (JsonNode process : description.path(kind)) {
                if (ProcessHandle.of(process.path("pid").asLong())
                        .filter(ProcessHandle::isAlive)
                        .filter(LocalCluster::isOurs)
                        .isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isOurs(ProcessHandle handle) {
        return handle.info()
                .commandLine()
                .map(line -> line.contains("dev.tokenpool."))
                .orElse(false);
    }
}
