package dev.tokenpool.processor;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A pool store that tells {@link CommittedCommands} when it committed; everything else goes straight
 * to the RocksDB store inside (reads at an isolation level and interactive queries included).
 */
final class CommitReportingStore extends ForwardingKeyValueStore {
    private final CommittedCommands commits;
    private int partition = -1;
    private boolean stampsPositions;

    private CommitReportingStore(KeyValueStore<Bytes, byte[]> store, CommittedCommands commits) {
        super(store);
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
        stampsPositions = StreamsConfig.InternalConfig.getBoolean(
                context.appConfigs(), StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
        commits.forget(name(), partition);
        store.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        store.commit(changelogOffsets);
        commits.committed(name(), partition);
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
    public void close() {
        commits.forget(name(), partition);
        store.close();
    }
}
