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
 * closed when the loop ends. A loop that fails logs why and stays dead; {@link #isAlive()} tells the
 * health check.
 */
final class ConsumerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** A wait for the loop to reach the end offsets the partitions had when the wait began. */
    private static final class CatchUp {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Map<TopicPartition, Long> end;
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

    /** Completes once every record that was in the partitions when this was called has been handed on. */
    CompletableFuture<Void> caughtUp() {
        CatchUp catchUp = new CatchUp();
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
                    completeCatchUps();
                } catch (WakeupException e) {
                    // a catch-up was asked for, or the loop is closing: go round again
                }
            }
        } catch (Throwable e) {
            failure = e;
            log.error("{} stopped: {}", name, e.toString(), e);
            failCatchUps(e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
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
        Map<TopicPartition, Long> endNow = null;
        for (CatchUp catchUp : open) {
            if (catchUp.end == null) {
                endNow = endNow != null ? endNow : consumer.endOffsets(consumer.assignment());
                catchUp.end = endNow;
            }
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
