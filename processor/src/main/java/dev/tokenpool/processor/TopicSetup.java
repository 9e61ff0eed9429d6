package dev.tokenpool.processor;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The processor's shared topics and its stores' changelogs, created when they are missing; existing topics are
 * left as they are.
 */
final class TopicSetup {

    private TopicSetup() {}

    /**
     * Topics whose records hold token IDs keep them for {@code deletedDataRetention}; the audit topic holds none.
     * Returns how many partitions the commands topic has (an existing topic keeps its own count).
     */
    static int ensure(
            Admin admin,
            TopologySettings topology,
            int commandPartitions,
            short replicationFactor,
            Duration deletedDataRetention) {
        Map<String, String> bounded = DeletedDataBound.retention(deletedDataRetention);
        List<NewTopic> topics = new ArrayList<>();
        topology.ownTopics()
                .forEach((topic, name) -> topics.add(
                        switch (topic) {
                            case COMMANDS, EVENTS ->
                                new NewTopic(name, commandPartitions, replicationFactor).configs(bounded);
                            case DEAD_LETTERS -> new NewTopic(name, 1, replicationFactor).configs(bounded);
                            case AUDIT -> new NewTopic(name, commandPartitions, replicationFactor);
                            case PROJECTS ->
                                new NewTopic(name, 1, replicationFactor)
                                        .configs(Map.of(
                                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                        }));
        KafkaTopics.createIfMissing(admin, topics);
        return KafkaTopics.partitions(admin, topology.commandsTopic());
    }

    /**
     * The changelog of every pool store, as Kafka Streams would create it (compacted, one partition per commands
     * partition), with the deleted-data bound. Streams creates internal topics only when its group rebalances, and
     * a static member that rejoins with the same subscription gets its old assignment without one: so a store that
     * an upgrade adds would find no changelog, and its restore would wait for good.
     */
    static void ensureChangelogs(
            Admin admin,
            String applicationId,
            int commandPartitions,
            short replicationFactor,
            Duration deletedDataRetention) {
        Map<String, String> configs = new java.util.HashMap<>(DeletedDataBound.compaction(deletedDataRetention));
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        KafkaTopics.createIfMissing(
                admin,
                PoolStores.ALL.stream()
                        .map(store -> new NewTopic(
                                        changelog(applicationId, store), commandPartitions, replicationFactor)
                                .configs(configs))
                        .toList());
    }

    /** The changelog topic Kafka Streams names for a store. */
    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
