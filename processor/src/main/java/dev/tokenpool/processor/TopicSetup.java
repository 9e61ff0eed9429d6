package dev.tokenpool.processor;

import dev.tokenpool.runtime.KafkaTopics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The processor's shared topics, created when they are missing; existing topics are left as they are. */
final class TopicSetup {

    private TopicSetup() {
    }

    /** Topics whose records hold token IDs keep them for {@code deletedDataRetention}; the audit topic holds none. */
    static void ensure(Admin admin, TopologySettings topology, int commandPartitions, short replicationFactor,
                       Duration deletedDataRetention) {
        Map<String, String> bounded = DeletedDataBound.retention(deletedDataRetention);
        KafkaTopics.createIfMissing(admin,
                new NewTopic(topology.commandsTopic(), commandPartitions, replicationFactor).configs(bounded),
                new NewTopic(topology.deadLetterTopic(), 1, replicationFactor).configs(bounded),
                new NewTopic(topology.eventsTopic(), commandPartitions, replicationFactor).configs(bounded),
                new NewTopic(topology.auditTopic(), commandPartitions, replicationFactor),
                new NewTopic(topology.projectsTopic(), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }
}
