package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class CommitReportingStoreTest {

    /** Streams' changelog layer asks for the position on every write, and uses it only with its consistency vector on. */
    @Test
    void shouldGiveItsPositionOnlyWhenStreamsStampsChangelogRecordsWithIt() {
        assertThat(positionAfterAWrite(false)).isEqualTo(Position.emptyPosition());
        assertThat(positionAfterAWrite(true)).isEqualTo(Position.fromMap(Map.of("tokenpool.commands", Map.of(3, 42L))));
    }

    private static Position positionAfterAWrite(boolean consistencyVector) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "position-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, consistencyVector);
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config);
        context.setRecordMetadata("tokenpool.commands", 3, 42);
        KeyValueStore<Bytes, byte[]> store = CommitReportingStore.supplier(
                        Stores.inMemoryKeyValueStore(PoolStores.META_STORE),
                        new CommittedCommands(List.of(PoolStores.META_STORE)))
                .get();
        store.init(context.getStateStoreContext(), store);
        store.put(Bytes.wrap(new byte[] {1}), new byte[] {2});
        return store.getPosition();
    }
}
