package dev.tokenpool.gateway;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether the commands topic exists, asked without creating it. The processor creates that topic with
 * its partition count; a producer's metadata request for a missing topic would have a broker with
 * {@code auto.create.topics.enable} (Kafka's default) create it with one partition, putting every
 * project on one partition for good. So a gateway sends nothing until the topic is there.
 */
final class CommandsTopic {
    private static final long ASK_TIMEOUT_MS = 5_000;

    private final String name;
    private final Admin admin;
    /** Once seen, a topic stays: it is not asked again. */
    private volatile boolean seen;

    /** {@code admin} stays the caller's: it is asked, never closed, here. */
    CommandsTopic(Admin admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /**
     * Returns when the topic exists; otherwise throws {@link KafkaUnavailableException} (nothing was sent).
     * Blocks for at most a few seconds: call it off the event loop.
     */
    void require() {
        if (seen) {
            return;
        }
        try {
            admin.describeTopics(List.of(name)).allTopicNames().get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            seen = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KafkaUnavailableException(new IllegalStateException(
                        "the commands topic " + name + " does not exist yet: the processor creates it when it starts"));
            }
            throw new KafkaUnavailableException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException(new org.apache.kafka.common.errors.TimeoutException(
                    "Kafka did not say within " + ASK_TIMEOUT_MS + " ms whether " + name + " exists", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(e);
        }
    }
}
