package dev.tokenpool.processor;

import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.ProjectRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The processor's pool work on real RocksDB stores (the pool stores with tokenpool's RocksDB settings,
 * without changelogs or the Streams loop): what one command costs in the processor itself. Results are
 * operations per second; the *PerToken benchmarks count each token as an operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PoolBenchmark {
    static final int PREFILL = 300_000;
    private Path stateDir;
    private PoolStores stores;
    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();
    private final ProjectRecord project = ProjectRecord.create("p-bench", "bench", "hash", 100_000_000);
    private long clock = 1_764_000_000_000L;
    private int next;
    private int deleted;

    @Setup(Level.Iteration)
    public void open() throws Exception {
        stateDir = Files.createTempDirectory("tokenpool-jmh");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbSettings.class);
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(props,
                new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
        stores = new PoolStores(store(PoolStores.TOKENS_STORE, context), store(PoolStores.ORDER_STORE, context),
                store(PoolStores.META_STORE, context));
        next = 0;
        deleted = 0;
        for (int i = 0; i < PREFILL; i += 500) {
            add(500);
        }
    }

    private KeyValueStore<Bytes, byte[]> store(String name, MockProcessorContext<String, Object> context) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        opened.forEach(KeyValueStore::close);
        opened.clear();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    private Object add(int tokens) {
        List<String> ids = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            ids.add("token-%09d".formatted(next++));
        }
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).add(ids, clock++);
        staged.flush();
        return result;
    }

    @Benchmark
    public Object addOneToken() {
        return add(1);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object add500TokensPerToken() {
        return add(500);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object deleteByIdsPerToken() {
        List<String> ids = new ArrayList<>(500);
        for (int i = 0; i < 500; i++) {
            ids.add("token-%09d".formatted(deleted++ % PREFILL));
        }
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).delete(ids);
        staged.flush();
        return result;
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object deleteByOrderPerToken() {
        PoolStores.Staged staged = stores.stage();
        Object result = new TokenPool(project, staged, clock).deleteByOrder(500, Order.ASC);
        staged.flush();
        if (new TokenPool(project, stores.stage(), clock).count() < 1_000) {
            for (int i = 0; i < 20; i++) {
                add(500);
            }
        }
        return result;
    }

    @Benchmark
    public Object getToken() {
        return new TokenPool(project, stores.stage(), clock).find("token-%09d".formatted(Math.floorMod(next++ * 7919, PREFILL)));
    }
}
