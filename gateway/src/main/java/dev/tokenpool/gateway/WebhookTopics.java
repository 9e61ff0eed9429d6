package dev.tokenpool.gateway;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Webhook delivery's topics, created by any gateway that finds them missing (partitions and replication: the
 * cluster's defaults). A retry topic keeps its records for its wait and the deleted-data bound after it, so an event
 * is still there when it falls due, even after an outage as long as the bound; the dead-letter topic for the bound;
 * the status topic is compacted, one record a project.
 */
final class WebhookTopics {
    private WebhookTopics() {}

    static void create(Admin admin, GatewaySettings settings) {
        GatewaySettings.Webhooks webhooks = settings.webhooks();
        Duration bound = settings.deletedDataRetention();
        List<NewTopic> topics = new ArrayList<>();
        for (Duration wait : webhooks.schedule().waits().stream().distinct().toList()) {
            Map<String, String> configs = new HashMap<>(DeletedDataBound.retention(wait.plus(bound)));
            topics.add(topic(RetrySchedule.topic(webhooks.topicPrefix(), wait), configs));
        }
        topics.add(topic(webhooks.deadLetterTopic(), DeletedDataBound.retention(bound)));
        topics.add(new NewTopic(webhooks.statusTopic(), Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        KafkaTopics.createIfMissing(admin, topics);
    }

    private static NewTopic topic(String name, Map<String, String> configs) {
        return new NewTopic(name, Optional.empty(), Optional.empty()).configs(configs);
    }
}
