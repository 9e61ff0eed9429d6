package dev.tokenpool.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that polls one consumer (with its partitions assigned) and hands every record
 * on, until closed. The consumer belongs to this loop: it is used only on the loop's thread and
 * closed when the loop ends, and it sends nothing but fetches once the loop runs — so the broker may
 * hold each fetch long (it answers as soon as a record comes) without another request queuing behind
 * it. A loop that fails logs why and stays dead; {@link #isAlive()} tells the health check.
 */
final class ConsumerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** A wait for the loop to reach given end offsets. */
    private record CatchUp(Map<TopicPartition, Long> end, CompletableFuture<Void> done) {
    }

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Duration pollTimeout;
    private final java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final List<CatchUp> catchUps = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    ConsumerLoop(String name, Consumer<String, byte[]> consumer, Duration pollTimeout,
                 java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.name = name;
        this.consumer = consumer;
        this.pollTimeout = pollTimeout;
        this.onRecord = onRecord;
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
    }

    boolean isAlive() {
        return thread.isAlive() && failure == null;
    }

    /**
     * Completes once every record before {@code end} (an offset per partition, as the caller asked Kafka
     * for it) has been handed on; the loop checks at once, not after its current poll.
     */
    CompletableFuture<Void> caughtUp(Map<TopicPartition, Long> end) {
        CatchUp catchUp = new CatchUp(Map.copyOf(end), new CompletableFuture<>());
        synchronized (catchUps) {
            catchUps.add(catchUp);
        }
        if (failure != null) {
            catchUp.done.completeExceptionally(failure);
        }
        consumer.wakeup(); // don't wait out a long poll
        return catchUp.done;
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                        onRecord.accept(record);
                    }
                } catch (WakeupException e) {
                    // a catch-up was asked for, or the loop is closing
                }
                completeCatchUps();
            }
        } catch (Throwable e) {
            failure = e;
            log.error("{} stopped: {}", name, e.toString(), e);
            failCatchUps(e);
        } finally {
            // Group-less and read-only, it has nothing to hand back: waiting would only wait out its held fetch.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void completeCatchUps() {
        List<CatchUp> open;
        synchronized (catchUps) {
            if (catchUps.isEmpty()) {
                return;
            }
            open = List.copyOf(catchUps);
        }
        for (CatchUp catchUp : open) {
            if (catchUp.end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                catchUp.done.complete(null);
                synchronized (catchUps) {
                    catchUps.remove(catchUp);
                }
            }
        }
    }

    private void failCatchUps(Throwable error) {
        synchronized (catchUps) {
            catchUps.forEach(catchUp -> catchUp.done.completeExceptionally(error));
            catchUps.clear();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failCatchUps(new IllegalStateException(name + " is closed"));
    }
}
