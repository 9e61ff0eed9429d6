package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
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
            loop.caughtUp().get(5, TimeUnit.SECONDS);
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
            assertThat(loop.caughtUp()).isCompletedExceptionally();
            Deadline.await(Duration.ofSeconds(5), consumer::closed, () -> "the dead loop closes its consumer");
        }
    }
}
