package dev.tokenpool.processor;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a reply topic exists, from the broker's list of topic names. The list is refreshed in the
 * background every few seconds (so a deleted topic is noticed), and again at once when a topic is
 * not on it, at most every {@link #MIN_RELIST}: a topic created just before its first command is
 * seen right away, and a flood of commands naming missing topics costs one listing per interval.
 * The stream thread waits at most {@link #LIST_TIMEOUT} for a listing. The only state is the
 * cluster's own list of names, so nothing grows with the topics commands name.
 */
final class BrokerTopics implements ReplyTopics, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerTopics.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    static final Duration MIN_RELIST = Duration.ofMillis(100);
    static final Duration LIST_TIMEOUT = Duration.ofMillis(500);

    private final Admin admin;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable ->
            Thread.ofPlatform().name("reply-topics-refresh").daemon(true).unstarted(runnable));
    private volatile Set<String> names = Set.of();
    private volatile long listedAtNanos = System.nanoTime() - MIN_RELIST.toNanos();

    BrokerTopics(Admin admin) {
        this.admin = admin;
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean exists(String topic) {
        if (names.contains(topic)) {
            return true;
        }
        if (System.nanoTime() - listedAtNanos >= MIN_RELIST.toNanos()) {
            relist();
        }
        return names.contains(topic);
    }

    private synchronized void relist() {
        try {
            Set<String> listed = admin.listTopics().names().get(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            names = Set.copyOf(listed);
            listedAtNanos = System.nanoTime();
        } catch (ExecutionException | TimeoutException e) {
            // Kafka's failure, not the command's: the stream thread is replaced and tries the command again.
            throw new KafkaException("cannot list the broker's topics to check a reply topic", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while listing topics", e);
        }
    }

    private void refreshQuietly() {
        try {
            relist();
        } catch (RuntimeException e) {
            log.debug("background topic listing failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
