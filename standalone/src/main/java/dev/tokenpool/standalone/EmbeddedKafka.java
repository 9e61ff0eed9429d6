package dev.tokenpool.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache Kafka node, broker and controller (KRaft), inside this JVM, with its data kept in {@code dataDir}
 * across restarts: the standalone's single node, or one node of a local cluster. The storage is formatted only
 * on first start.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** The broker listens on loopback only: what a deployment exposes is its own choice. */
    static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) throws IOException {
        return start(dataDir, port, controllerPort, Map.of());
    }

    /** A broker with further settings of its own (tests: a log cleaner that runs within a second). */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Map<String, String> settings)
            throws IOException {
        Properties props = nodeProperties(1, port, controllerPort);
        props.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        // One node: every internal topic has one replica, and groups start without waiting.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // After a kill -9 the restarted controller keeps the dead broker's registration alive for a whole
        // broker session, and the new broker cannot register until it ends (9 s by default). The broker and
        // its controller share this JVM, so a short session costs nothing and shortens every crash recovery.
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("broker.session.timeout.ms", "2500");
        // A crashed processor's open transaction holds its partitions until aborted: look for timed-out
        // transactions every second, not every ten, so a restart waits no longer than the transaction timeout.
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Sized for one node beside its only clients, and quiet when idle: every thread of a pool wakes a few times
        // a second with nothing to do, and the controller would append an empty record to the metadata log every
        // 500 ms (it only lets other nodes see a live controller; there are none).
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("group.coordinator.threads", "1");
        props.put("metadata.max.idle.interval.ms", "5000");
        props.putAll(settings);
        return start(
                dataDir,
                port,
                controllerPort,
                props,
                List.of("--cluster-id", Uuid.randomUuid().toString(), "--standalone"));
    }

    /**
     * One node of a cluster of KRaft nodes that are each broker and controller, with the fixed quorum {@code
     * voters} ({@code id@host:port,…}) sharing {@code clusterId}; {@code settings} say the rest (replication).
     */
    public static EmbeddedKafka startClusterNode(
            Path dataDir,
            int nodeId,
            int port,
            int controllerPort,
            String voters,
            String clusterId,
            Map<String, String> settings)
            throws IOException {
        Properties props = nodeProperties(nodeId, port, controllerPort);
        props.put("controller.quorum.voters", voters);
        props.putAll(settings);
        return start(dataDir, port, controllerPort, props, List.of("--cluster-id", clusterId));
    }

    private static Properties nodeProperties(int nodeId, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private static EmbeddedKafka start(
            Path dataDir, int port, int controllerPort, Properties props, List<String> formatArguments)
            throws IOException {
        requireFree(port, "TOKENPOOL_KAFKA_PORT");
        requireFree(controllerPort, "TOKENPOOL_KAFKA_CONTROLLER_PORT");
        Path logDir = dataDir.toAbsolutePath();
        Files.createDirectories(logDir);
        props.put("log.dirs", logDir.toString());
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, props, formatArguments);
        }
        log.info("starting embedded Kafka broker ...");
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw e;
        }
        String bootstrap = HOST + ":" + port;
        log.info("embedded Kafka broker on {} (data in {})", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap);
    }

    /** Says which port is taken before anything is formatted or started, instead of a broker stack trace. */
    private static void requireFree(int port, String variable) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IOException(
                    "port " + port + " is already in use: stop what uses it, or set " + variable + " to a free port");
        }
    }

    private static void format(Path logDir, Properties props, List<String> arguments) throws IOException {
        Path config = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "embedded tokenpool broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<String> command = new java.util.ArrayList<>(List.of("format", "--config", config.toString()));
        command.addAll(arguments);
        int exit = StorageTool.execute(
                command.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IOException("formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
        log.info("formatted Kafka storage in {}", logDir);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
