package dev.tokenpool.gateway;

import dev.tokenpool.runtime.HeldFetches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that polls one consumer (with its partitions assigned) and hands every record
 * on, until closed. The consumer belongs to this loop: it is used only on the loop's thread and
 * closed when the loop ends, and it sends nothing but fetches once the loop runs — so the broker may
 * hold each fetch long (it answers as soon as a record comes) without another request queuing behind
 * it.
 *
 * <p>Any client allowed to write to a topic a loop reads can write anything there, so no record ends the
 * loop: one its handler cannot use is skipped with a log line naming where it was and a count in
 * {@code tokenpool_gateway_skipped_records_total{loop}}. A poll that fails (Kafka away, or a failure nobody
 * foresaw) is tried again after a wait that grows from {@link #FIRST_RETRY} to {@link #MAX_RETRY}; only a
 * failure that lasts {@link #LASTING} makes {@link #isAlive()} false, for the health check.
 */
final class ConsumerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    static final Duration LASTING = Duration.ofSeconds(10);

    /** A wait for the loop to reach given end offsets. */
    private record CatchUp(Map<TopicPartition, Long> end, CompletableFuture<Void> done) {}

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Duration pollTimeout;
    private final java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Counter skipped;
    private final LongSupplier nanoClock;
    private final List<CatchUp> catchUps = new ArrayList<>();
    private final Object retryWait = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    /** When the polls began failing, in a row; -1 while they succeed. */
    private volatile long failingSinceNanos = -1;

    /**
     * The loop {@code loop} ("replies", "projects": its name in the skipped-records metric) of gateway
     * {@code gatewayId}, on its own thread, with fetches the broker may hold ({@link HeldFetches#WAIT}).
     */
    ConsumerLoop(
            String loop,
            String gatewayId,
            Consumer<String, byte[]> consumer,
            MeterRegistry metrics,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(loop + "-reader-" + gatewayId, loop, consumer, HeldFetches.WAIT, metrics, onRecord, System::nanoTime);
    }

    ConsumerLoop(
            String name,
            String loop,
            Consumer<String, byte[]> consumer,
            Duration pollTimeout,
            MeterRegistry metrics,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord,
            LongSupplier nanoClock) {
        this.name = name;
        this.consumer = consumer;
        this.pollTimeout = pollTimeout;
        this.onRecord = onRecord;
        this.nanoClock = nanoClock;
        this.skipped = Counter.builder("tokenpool.gateway.skipped.records")
                .tag("loop", loop)
                .description("Records a gateway's reader could not use and skipped")
                .register(metrics);
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
    }

    /** Whether the loop runs and its polls have not been failing for {@link #LASTING} or longer. */
    boolean isAlive() {
        long since = failingSinceNanos;
        return thread.isAlive() && (since < 0 || nanoClock.getAsLong() - since < LASTING.toNanos());
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
        if (!running) {
            catchUp.done.completeExceptionally(new IllegalStateException(name + " is closed"));
        }
        consumer.wakeup(); // don't wait out a long poll
        return catchUp.done;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                        handOn(record);
                    }
                    completeCatchUps();
                    failingSinceNanos = -1;
                    retry = FIRST_RETRY;
                } catch (WakeupException e) {
                    completeCatchUps(); // a catch-up was asked for, or the loop is closing
                } catch (RecordDeserializationException e) {
                    skip(e.topicPartition().toString(), e.offset(), e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    if (failingSinceNanos < 0) {
                        failingSinceNanos = nanoClock.getAsLong();
                    }
                    log.warn("{} could not poll ({}); trying again in {} ms", name, e.toString(), retry.toMillis());
                    log.debug("{} poll failure", name, e);
                    waitBeforeRetry(retry);
                    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
                }
            }
        } finally {
            // Group-less and read-only, it has nothing to hand back: waiting would only wait out its held fetch.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            failCatchUps(new IllegalStateException(name + " is closed"));
        }
    }

    /** A record the handler cannot use is skipped: the records after it in the same batch are still handed on. */
    private void handOn(ConsumerRecord<String, byte[]> record) {
        try {
            onRecord.accept(record);
        } catch (RuntimeException | StackOverflowError e) {
            skip(record.topic() + "-" + record.partition(), record.offset(), e);
        }
    }

    private void skip(String partition, long offset, Throwable why) {
        skipped.increment();
        log.warn("{} skipped the record at {}@{}: {}", name, partition, offset, why.toString());
    }

    private void waitBeforeRetry(Duration retry) {
        synchronized (retryWait) {
            try {
                if (running) {
                    retryWait.wait(retry.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
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
        synchronized (retryWait) {
            retryWait.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failCatchUps(new IllegalStateException(name + " is closed"));
    }
}
