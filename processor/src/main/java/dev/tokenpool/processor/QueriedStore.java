package dev.tokenpool.processor;

import java.util.Set;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One partition of a pool store, read from outside the stream thread with interactive queries (IQv2)
 * at READ_COMMITTED: only what committed transactions wrote, never a write that may still abort. Only
 * the active task answers (a standby may lag); when it cannot, a read throws {@link NotAnswerable}.
 */
final class QueriedStore implements ReadOnlyKeyValueStore<Bytes, byte[]> {
    private final KafkaStreams streams;
    private final String store;
    private final int partition;

    QueriedStore(KafkaStreams streams, String store, int partition) {
        this.streams = streams;
        this.store = store;
        this.partition = partition;
    }

    /** This instance cannot answer the read now (partition not here, not active, or rebalancing). */
    static final class NotAnswerable extends RuntimeException {
        NotAnswerable(String message) {
            super(message);
        }
    }

    @Override
    public byte[] get(Bytes key) {
        return query(KeyQuery.withKey(key));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return query(RangeQuery.<Bytes, byte[]>withRange(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return query(RangeQuery.<Bytes, byte[]>withRange(from, to).withDescendingKeys());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return query(RangeQuery.<Bytes, byte[]>withNoBounds());
    }

    @Override
    public long approximateNumEntries() {
        throw new UnsupportedOperationException(
                "interactive queries give no entry count; a pool's count is in its meta entry");
    }

    private <R> R query(Query<R> query) {
        QueryResult<R> result = streams.query(StateQueryRequest.inStore(store)
                        .withQuery(query)
                        .withPartitions(Set.of(partition))
                        .requireActive()
                        .withIsolationLevel(IsolationLevel.READ_COMMITTED))
                .getPartitionResults()
                .get(partition);
        if (result == null || result.isFailure()) {
            throw new NotAnswerable(store + " partition " + partition + ": "
                    + (result == null ? "no answer" : result.getFailureReason() + " " + result.getFailureMessage()));
        }
        return result.getResult();
    }
}
