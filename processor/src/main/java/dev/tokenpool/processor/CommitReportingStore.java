package dev.tokenpool.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A pool store that tells {@link CommittedCommands} when it committed; everything else goes straight
 * to the RocksDB store inside (reads at an isolation level and interactive queries included).
 */
final class CommitReportingStore implements KeyValueStore<Bytes, byte[]> {
    private final KeyValueStore<Bytes, byte[]> store;
    private final CommittedCommands commits;
    private int partition = -1;
    private boolean stampsPositions;

    private CommitReportingStore(KeyValueStore<Bytes, byte[]> store, CommittedCommands commits) {
        this.store = store;
        this.commits = commits;
    }

    /** {@code rocksDb}'s stores, each reporting its commits to {@code commits}. */
    static KeyValueBytesStoreSupplier supplier(KeyValueBytesStoreSupplier rocksDb, CommittedCommands commits) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocksDb.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new CommitReportingStore(rocksDb.get(), commits);
            }

            @Override
            public String metricsScope() {
                return rocksDb.metricsScope();
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        partition = context.taskId().partition();
        stampsPositions = StreamsConfig.InternalConfig.getBoolean(context.appConfigs(),
                StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
        commits.forget(name(), partition);
        store.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        store.commit(changelogOffsets);
        commits.committed(name(), partition);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        store.flush();
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        return store.readOnly(isolationLevel);
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return store.query(query, positionBound, config);
    }

    /**
     * Kafka Streams' changelog layer asks for this on every write it logs, and uses it only to stamp the record when
     * its (internal) consistency-vector option is on; RocksDB answers with a fresh copy merged with the open
     * transaction's part, a few percent of the stream thread under load. Nothing else asks the store below that layer
     * (interactive queries get their position from the RocksDB store itself), so without the option the answer is
     * empty.
     */
    @Override
    public Position getPosition() {
        return stampsPositions ? store.getPosition() : Position.emptyPosition();
    }

    @Override
    public Long committedOffset(TopicPartition changelog) {
        return store.committedOffset(changelog);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return store.managesOffsets();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return store.approximateNumUncommittedBytes();
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void close() {
        commits.forget(name(), partition);
        store.close();
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public void put(Bytes key, byte[] value) {
        store.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return store.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        store.putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        return store.delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return store.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return store.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return store.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return store.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return store.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return store.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }
}
