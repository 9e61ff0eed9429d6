package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The loop's own behaviour, on Kafka's in-memory consumer (the ITs run it on a real broker). */
class ConsumerLoopTest {
    final TopicPartition partition = new TopicPartition("registry", 0);
    final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    ConsumerLoopTest() {
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 2L));
        consumer.addRecord(new ConsumerRecord<>("registry", 0, 0, "a", new byte[0]));
        consumer.addRecord(new ConsumerRecord<>("registry", 0, 1, "b", new byte[0]));
    }

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    ConsumerLoop loop(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
            Duration poll,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        return new ConsumerLoop("test-loop", "test", consumer, poll, metrics, onRecord, System::nanoTime);
    }

    double skipped() {
        return metrics.get("tokenpool.gateway.skipped.records")
                .tag("loop", "test")
                .counter()
                .count();
    }

    @Test
    void shouldHandEveryRecordOnAndSayWhenItCaughtUp() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = loop(consumer, Duration.ofMillis(10), r -> keys.add(r.key()))) {
            loop.caughtUp(Map.of(partition, 2L)).get(5, TimeUnit.SECONDS);
            assertThat(keys).containsExactly("a", "b");
            assertThat(loop.isAlive()).isTrue();
        }
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldSkipARecordItsHandlerCannotUseAndHandOnTheNext() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = loop(consumer, Duration.ofMillis(10), r -> {
            if (r.key().equals("a")) {
                throw new NullPointerException("a record nobody foresaw");
            }
            keys.add(r.key());
        })) {
            loop.caughtUp(Map.of(partition, 2L)).get(5, TimeUnit.SECONDS);
            assertThat(keys).containsExactly("b");
            assertThat(skipped()).isEqualTo(1);
            assertThat(loop.isAlive()).isTrue();
        }
    }

    @Test
    void shouldPollAgainAfterAFailureAndSayItIsDownOnlyWhenTheFailureLasts() throws Exception {
        AtomicLong now = new AtomicLong();
        AtomicReference<ConsumerLoop> running = new AtomicReference<>();
        List<Boolean> aliveAtEachPoll = new CopyOnWriteArrayList<>();
        MockConsumer<String, byte[]> failing = new MockConsumer<>("earliest") {
            @Override
            public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
                while (running.get() == null) {
                    Thread.onSpinWait();
                }
                if (aliveAtEachPoll.size() < 4) {
                    aliveAtEachPoll.add(running.get().isAlive());
                }
                if (aliveAtEachPoll.size() <= 3) { // three polls in a row fail, half the lasting time apart
                    now.addAndGet(ConsumerLoop.LASTING.toNanos() / 2);
                    throw new KafkaException("broker away");
                }
                return super.poll(timeout);
            }
        };
        failing.assign(List.of(partition));
        failing.updateBeginningOffsets(Map.of(partition, 0L));
        failing.addRecord(new ConsumerRecord<>("registry", 0, 0, "a", new byte[0]));
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = new ConsumerLoop(
                "test-loop", "test", failing, Duration.ofMillis(10), metrics, r -> keys.add(r.key()), now::get)) {
            running.set(loop);
            Deadline.await(Duration.ofSeconds(10), () -> keys.size() == 1, () -> "the record after three failed polls");
            assertThat(aliveAtEachPoll).as("down once the failure lasted").containsExactly(true, true, true, false);
            assertThat(loop.isAlive()).as("up again once a poll succeeded").isTrue();
        }
    }

    @Test
    void shouldSkipARecordTheConsumerCannotDeserialize() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        MockConsumer<String, byte[]> corrupt = new MockConsumer<>("earliest") {
            @Override
            public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
                if (position(partition) == 0) {
                    thrown.incrementAndGet();
                    throw new RecordDeserializationException(
                            RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                            partition,
                            0,
                            0,
                            TimestampType.CREATE_TIME,
                            null,
                            null,
                            new RecordHeaders(),
                            "corrupt",
                            null);
                }
                return super.poll(timeout);
            }
        };
        corrupt.assign(List.of(partition));
        corrupt.updateBeginningOffsets(Map.of(partition, 0L));
        corrupt.addRecord(new ConsumerRecord<>("registry", 0, 0, "a", new byte[0]));
        corrupt.addRecord(new ConsumerRecord<>("registry", 0, 1, "b", new byte[0]));
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = loop(corrupt, Duration.ofMillis(10), r -> keys.add(r.key()))) {
            loop.caughtUp(Map.of(partition, 2L)).get(5, TimeUnit.SECONDS);
            assertThat(keys).containsExactly("b");
            assertThat(thrown).hasValue(1);
            assertThat(skipped()).isEqualTo(1);
        }
    }

    /**
     * A real consumer's poll waits out its timeout while the broker holds its fetch: a catch-up must not wait for
     * that, nor for a later record, when the loop has already handed on everything before the offsets asked.
     */
    @Test
    void shouldSayItCaughtUpWithoutWaitingOutAPoll() throws Exception {
        HeldFetchConsumer held = new HeldFetchConsumer();
        held.assign(List.of(partition));
        held.updateBeginningOffsets(Map.of(partition, 0L));
        held.addRecord(new ConsumerRecord<>("registry", 0, 0, "a", new byte[0]));
        held.addRecord(new ConsumerRecord<>("registry", 0, 1, "b", new byte[0]));
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = loop(held, Duration.ofHours(1), r -> keys.add(r.key()))) {
            Deadline.await(Duration.ofSeconds(5), () -> keys.size() == 2, () -> "both records handed on");
            Deadline.await(Duration.ofSeconds(5), held::waiting, () -> "the loop waits in a poll");

            assertThat(loop.caughtUp(Map.of(partition, 2L))).succeedsWithin(Duration.ofSeconds(5));
            assertThat(loop.caughtUp(Map.of(partition, 3L))).isNotDone();
        }
    }

    /** Hands out what it has, then, like a consumer whose fetch the broker holds, waits the whole timeout unless woken. */
    static final class HeldFetchConsumer extends MockConsumer<String, byte[]> {
        private final Semaphore wakeups = new Semaphore(0);
        private volatile boolean waiting;

        HeldFetchConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(Duration.ZERO);
            if (!records.isEmpty()) {
                return records;
            }
            waiting = true;
            try {
                if (wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new WakeupException();
                }
                return records;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } finally {
                waiting = false;
            }
        }

        @Override
        public void wakeup() {
            wakeups.release();
        }

        boolean waiting() {
            return waiting;
        }
    }
}
