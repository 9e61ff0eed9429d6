package dev.tokenpool.processor;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reply topic check backed by the broker. A topic seen once is trusted from then on; a missing one
 * is asked about again after {@code recheckAfter}, so a client that creates its reply topic late
 * is served as soon as it exists.
 */
public final class AdminReplyTopics implements ReplyTopics, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminReplyTopics.class);

    private final Admin admin;
    private final Duration recheckAfter;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();

    public AdminReplyTopics(Admin admin, Duration recheckAfter) {
        this.admin = admin;
        this.recheckAfter = recheckAfter;
    }

    @Override
    public boolean exists(String topic) {
        if (known.contains(topic)) {
            return true;
        }
        Long missing = missingSince.get(topic);
        if (missing != null && System.nanoTime() - missing < recheckAfter.toNanos()) {
            return false;
        }
        try {
            admin.describeTopics(Set.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
            known.add(topic);
            missingSince.remove(topic);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                log.warn("reply topic {} does not exist: its results go to the dead-letter topic", topic);
                missingSince.put(topic, System.nanoTime());
                return false;
            }
            throw new IllegalStateException("cannot tell whether reply topic " + topic + " exists", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot tell whether reply topic " + topic + " exists: broker did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
