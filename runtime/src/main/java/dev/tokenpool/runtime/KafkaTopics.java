package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates tokenpool's topics when they are missing; an existing topic is left as it is. */
public final class KafkaTopics {
    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {}

    public static void createIfMissing(Admin admin, NewTopic... topics) {
        createIfMissing(admin, List.of(topics));
    }

    /**
     * Several processes may start at once: a topic another one created meanwhile counts as created.
     * Returns once the broker's metadata shows every topic, so clients used right after do not race it.
     */
    public static void createIfMissing(Admin admin, Collection<NewTopic> topics) {
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                created.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("created topic {}", name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "Kafka did not answer within " + TIMEOUT.toSeconds() + " s while creating topic " + name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        List<String> names = topics.stream().map(NewTopic::name).toList();
        try {
            Deadline.await(TIMEOUT, () -> visible(admin, names), () -> "topics " + names + " not visible");
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Sets {@code configs} on a topic that already exists (as {@code kafka-configs --alter} would), for topics a
     * process owns: created by an earlier version, they may lack a setting this one relies on.
     */
    public static void applyConfigs(Admin admin, String topic, Map<String, String> configs) {
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot set " + configs.keySet() + " of topic " + topic + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within " + TIMEOUT.toSeconds() + " s while setting the configs of topic "
                            + topic,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the configs of topic " + topic, e);
        }
    }

    /** How many partitions the topic has. */
    public static int partitions(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    /** Whether the topic exists now. */
    public static boolean exists(Admin admin, String topic) {
        try {
            return admin.listTopics()
                    .names()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .contains(topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list Kafka's topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing Kafka's topics", e);
        }
    }

    private static boolean visible(Admin admin, List<String> names) throws InterruptedException {
        try {
            admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
