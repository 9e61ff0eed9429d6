package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Whether tokenpool's topics are as safe as the cluster allows: replicated to three brokers (or every broker of a
 * smaller cluster), and, when replicated, taking a write only once two replicas have it ({@code
 * min.insync.replicas} 2), so a broker that fails cannot take an acknowledged command, result or changelog record
 * with it. Says what falls short, for a warning at start; it changes nothing.
 */
public final class ReplicationCheck {
    /** Three replicas survive one broker down for maintenance and another one failing meanwhile. */
    static final int WANTED_REPLICAS = 3;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ReplicationCheck() {}

    /** One line for each topic that falls short; none when all is as safe as the cluster allows. */
    public static List<String> shortfalls(Admin admin, Collection<String> topics) throws Exception {
        int brokers = admin.describeCluster()
                .nodes()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .size();
        int wanted = Math.min(WANTED_REPLICAS, brokers);
        Map<String, TopicDescription> described =
                admin.describeTopics(topics).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                        .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .toList())
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> shortfalls = new ArrayList<>();
        for (TopicDescription topic : described.values()) {
            int replicas = topic.partitions().stream()
                    .mapToInt(partition -> partition.replicas().size())
                    .min()
                    .orElse(0);
            ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            int minInSync = minIsr == null ? 1 : Integer.parseInt(minIsr.value());
            if (replicas < wanted) {
                shortfalls.add("topic " + topic.name() + " has " + replicas + " replica(s) on a cluster of " + brokers
                        + " brokers: a broker failure can lose or stop it (set TOKENPOOL_REPLICATION_FACTOR or the "
                        + "brokers' default.replication.factor to " + wanted + " before the topics are created)");
            } else if (replicas > 1 && minInSync < 2) {
                shortfalls.add("topic " + topic.name() + " has " + replicas + " replicas but min.insync.replicas "
                        + minInSync + ": a write is acknowledged by its leader alone, and lost if that broker "
                        + "fails before a follower copies it (set min.insync.replicas=2 on the brokers or the topic)");
            }
        }
        return shortfalls;
    }
}
