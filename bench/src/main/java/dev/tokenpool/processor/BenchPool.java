package dev.tokenpool.processor;

import dev.tokenpool.runtime.Directories;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.ProjectRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * One project's pool on real RocksDB stores in a directory of its own, with tokenpool's RocksDB
 * settings and without changelogs or the Streams loop: the processor's own work per command, as the
 * benchmarks measure it. Each command is planned on staged stores and applied, as in the processor.
 */
final class BenchPool implements AutoCloseable {
    private final Path stateDir;
    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();
    private final PoolStores stores;
    private final ProjectRecord project = ProjectRecord.create("p-bench", "bench", "hash", 100_000_000);
    private long clock = 1_764_000_000_000L;
    private int next;

    BenchPool() throws Exception {
        stateDir = Files.createTempDirectory("tokenpool-bench");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbSettings.class);
        MockProcessorContext<String, Object> context =
                new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        stores = new PoolStores(
                store(PoolStores.TOKENS_STORE, context),
                store(PoolStores.ORDER_STORE, context),
                store(PoolStores.META_STORE, context),
                store(PoolStores.IDEMPOTENCY_STORE, context));
    }

    private KeyValueStore<Bytes, byte[]> store(String name, MockProcessorContext<String, Object> context) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    /** Registers {@code tokens} new token IDs in one command. */
    Object add(int tokens) {
        List<String> ids = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            ids.add(tokenId(next++));
        }
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).add(ids, clock++);
        staged.flush();
        return result;
    }

    /** Registers the given token IDs (new or already there) in one command. */
    Object add(List<String> ids) {
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).add(ids, clock++);
        staged.flush();
        return result;
    }

    /** How many token IDs were generated so far: the pool's newest is {@code tokenId(generated() - 1)}. */
    int generated() {
        return next;
    }

    Object delete(List<String> ids) {
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).delete(ids);
        staged.flush();
        return result;
    }

    Object deleteByOrder(int count, Order order) {
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).deleteByOrder(count, order);
        staged.flush();
        return result;
    }

    Object find(String tokenId) {
        return new TokenPool(project, stores.stage(), clock).find(tokenId);
    }

    long count() {
        return new TokenPool(project, stores.stage(), clock).count();
    }

    static String tokenId(int n) {
        return "token-%09d".formatted(n);
    }

    @Override
    public void close() throws Exception {
        opened.forEach(KeyValueStore::close);
        Directories.delete(stateDir);
    }
}
