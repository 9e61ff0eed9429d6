package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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

    @Test
    void shouldHandEveryRecordOnAndSayWhenItCaughtUp() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        try (ConsumerLoop loop = new ConsumerLoop("test-loop", consumer, Duration.ofMillis(10), r -> keys.add(r.key()))) {
            loop.caughtUp(Map.of(partition, 2L)).get(5, TimeUnit.SECONDS);
            assertThat(keys).containsExactly("a", "b");
            assertThat(loop.isAlive()).isTrue();
        }
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldReportItsDeathWhenAHandlerThrows() throws Exception {
        try (ConsumerLoop loop = new ConsumerLoop("test-loop", consumer, Duration.ofMillis(10), r -> {
            throw new IllegalStateException("bug in the handler");
        })) {
            Deadline.await(Duration.ofSeconds(5), () -> !loop.isAlive(), () -> "loop reports its death");
            assertThat(loop.caughtUp(Map.of(partition, 2L))).isCompletedExceptionally();
            Deadline.await(Duration.ofSeconds(5), consumer::closed, () -> "the dead loop closes its consumer");
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
        try (ConsumerLoop loop = new ConsumerLoop("test-loop", held, Duration.ofHours(1), r -> keys.add(r.key()))) {
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
