package dev.tokenpool.gateway;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A thread of its own that polls one consumer and hands every record on, until closed. The consumer
 * belongs to this loop from then on: it is closed when the loop ends.
 */
final class ConsumerLoop implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Runnable afterPoll;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code afterPoll} runs on the loop's thread after each poll, so it may use the consumer. */
    ConsumerLoop(String name, KafkaConsumer<String, byte[]> consumer,
                 Consumer<ConsumerRecord<String, byte[]>> onRecord, Runnable afterPoll) {
        this.consumer = consumer;
        this.onRecord = onRecord;
        this.afterPoll = afterPoll;
        this.thread = Thread.ofPlatform().name(name).start(this::run);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    onRecord.accept(record);
                }
                afterPoll.run();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
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
    }
}
