package dev.tokenpool.processor;

import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.ReplicationCheck;
import dev.tokenpool.runtime.Resources;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running processor: the topology inside KafkaStreams, its topics and its metrics. */
public final class ProcessorService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);

    private final ProcessorSettings settings;
    private final Resources resources = new Resources();
    private final KafkaStreams streams;
    private final RestoreLog restores = new RestoreLog();
    private final LocalPoolReads localReads;

    private ProcessorService(ProcessorSettings settings, PrometheusMeterRegistry registry, String applicationServer) {
        this.settings = settings;
        try {
            Admin admin = resources.add(Admin.create(settings.kafka().clientConfig()));
            int commandPartitions = TopicSetup.ensure(
                    admin,
                    settings.topology(),
                    settings.commandPartitions(),
                    settings.replicationFactor(),
                    settings.deletedDataRetention());
            TopicSetup.ensureChangelogs(
                    admin,
                    settings.applicationId(),
                    commandPartitions,
                    settings.replicationFactor(),
                    settings.deletedDataRetention());
            warnOfShortReplication(admin, settings);
            BrokerTopics replyTopics = resources.add(new BrokerTopics(admin));
            CommittedCommands commits = new CommittedCommands(PoolStores.NAMES);
            Properties streamsProperties = settings.streamsProperties(applicationServer);
            this.streams = new KafkaStreams(
                    TokenPoolTopology.build(
                            settings.topology(),
                            replyTopics,
                            streamsProperties,
                            commits,
                            new HomePartitions(commandPartitions)),
                    streamsProperties,
                    new IdlePolls(settings.streamsCommitIntervalMs()));
            this.localReads = new LocalPoolReads(streams, commits);
            // Leaving the group on a clean stop hands the partitions over at once, not after the session timeout.
            resources.add(() -> streams.close(
                    CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(Duration.ofSeconds(30))));
            streams.setStateListener((now, before) -> log.info("processor state {} -> {}", before, now));
            streams.setUncaughtExceptionHandler(new ThreadRestarts());
            streams.setGlobalStateRestoreListener(restores);
            resources.add(new KafkaStreamsMetrics(streams)).bindTo(registry);
            resources
                    .add(new HangingTransactions(
                            admin,
                            settings.applicationId(),
                            topic -> writesTo(settings, topic),
                            this::isRunning,
                            System::currentTimeMillis))
                    .start();
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /** Creates missing topics and starts processing. */
    public static ProcessorService start(ProcessorSettings settings, PrometheusMeterRegistry registry) {
        return start(settings, registry, null);
    }

    /**
     * The same, telling the other instances (and the gateways that ask) that this one answers routed reads at
     * {@code applicationServer} ({@code host:port}; null: it does not).
     */
    public static ProcessorService start(
            ProcessorSettings settings, PrometheusMeterRegistry registry, String applicationServer) {
        ProcessorService processor = new ProcessorService(settings, registry, applicationServer);
        log.info(
                "starting processor {}{} on {} (commands: {}, commit interval: {} ms, state: {})",
                settings.applicationId(),
                settings.instanceId() == null ? "" : " instance " + settings.instanceId(),
                settings.bootstrapServers(),
                settings.topology().commandsTopic(),
                settings.commitIntervalMs(),
                settings.stateDir());
        try {
            processor.streams.start();
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
        return processor;
    }

    /** Says at start which of tokenpool's topics are less safe than the cluster allows ({@link ReplicationCheck}). */
    private static void warnOfShortReplication(Admin admin, ProcessorSettings settings) {
        List<String> topics = new ArrayList<>(settings.topology().ownTopics().values());
        PoolStores.ALL.forEach(store -> topics.add(TopicSetup.changelog(settings.applicationId(), store)));
        try {
            ReplicationCheck.shortfalls(admin, topics).forEach(log::warn);
        } catch (Exception e) {
            log.warn("could not check how tokenpool's topics are replicated: {}", e.toString());
        }
    }

    /** Whether the processor writes {@code topic} in its transactions (besides its group's offsets). */
    private static boolean writesTo(ProcessorSettings settings, String topic) {
        TopologySettings topology = settings.topology();
        return topic.startsWith(settings.applicationId() + "-")
                || topology.ownTopics().containsValue(topic)
                || topic.startsWith(topology.replyTopicPrefix())
                || topic.startsWith(topology.gatewayReplyTopicPrefix())
                || topology.replyTopicAllow() != null
                        && topology.replyTopicAllow().matcher(topic).matches();
    }

    /** Running with every store restored: every partition it owns is answered. */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING && !restores.restoring();
    }

    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the processor has its tasks and answers commands. */
    public void awaitRunning(Duration timeout) throws Exception {
        Deadline.await(timeout, this::isRunning, () -> "processor not running (state " + state() + ")");
    }

    /**
     * Which instance runs each partition of the commands topic, as {@code host:port} of its routed reads, as far as
     * this instance knows (Kafka Streams' metadata of the group); partitions without a known owner are left out.
     */
    public Map<Integer, String> partitionOwners() {
        Map<Integer, String> owners = new TreeMap<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (instance.hostInfo() == null || instance.port() <= 0) {
                continue;
            }
            for (TopicPartition partition : instance.topicPartitions()) {
                if (partition.topic().equals(settings.topology().commandsTopic())) {
                    owners.put(partition.partition(), instance.host() + ":" + instance.port());
                }
            }
        }
        return owners;
    }

    /** Reads of the pools this instance holds, for a gateway in the same JVM. */
    public LocalPoolReads localReads() {
        return localReads;
    }

    public ProcessorSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        log.info("stopping processor");
        resources.close();
    }
}
