package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.processor.HangingTransactions.OpenTransaction;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The rule that decides a transaction hangs, on the values Kafka's Admin API answers with; the case that made
 * it (a restart stuck behind the group's offsets partition after kill -9) is the first test.
 */
class HangingTransactionsTest {
    static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 32);
    static final long NOW = 1_796_616_160_000L;

    static OpenTransaction open(TopicPartition partition, int epoch, long lastTimestamp) {
        return new OpenTransaction(
                partition, new ProducerState(2, epoch, 0, lastTimestamp, OptionalInt.of(42), OptionalLong.of(4_179)));
    }

    static TransactionDescription coordinator(TransactionState state, int epoch, Set<TopicPartition> partitions) {
        return new TransactionDescription(1, state, 2, epoch, 10_000, OptionalLong.empty(), partitions);
    }

    @Test
    void shouldFindTheTransactionAKill9LeftOnTheOffsetsPartitionHanging() {
        // As found: the partition shows epoch 2095 open; the coordinator has moved on to epoch 2097, with nothing open.
        assertThat(HangingTransactions.isHanging(
                        open(OFFSETS, 2095, NOW - 66_000), coordinator(TransactionState.EMPTY, 2097, Set.of()), NOW))
                .isTrue();
    }

    @Test
    void shouldLeaveATransactionItsCoordinatorStillOwesAMarker() {
        for (TransactionState state :
                Set.of(TransactionState.ONGOING, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT)) {
            assertThat(HangingTransactions.isHanging(
                            open(OFFSETS, 2095, NOW - 66_000), coordinator(state, 2095, Set.of(OFFSETS)), NOW))
                    .as(state.toString())
                    .isFalse();
        }
    }

    @Test
    void shouldLeaveATransactionYoungerThanThreeTimesItsTimeout() {
        assertThat(HangingTransactions.isHanging(
                        open(OFFSETS, 2095, NOW - 29_000), coordinator(TransactionState.EMPTY, 2097, Set.of()), NOW))
                .isFalse();
    }

    @Test
    void shouldLeaveATransactionNotKnownToBeTheProcessors() {
        assertThat(HangingTransactions.isHanging(open(OFFSETS, 2095, NOW - 600_000), null, NOW))
                .isFalse();
    }
}
