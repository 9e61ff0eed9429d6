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

/** The processor's shared topics, created when they are missing; existing topics are left as they are. */
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
}
