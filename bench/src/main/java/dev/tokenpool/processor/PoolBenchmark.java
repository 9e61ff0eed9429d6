package dev.tokenpool.processor;

import dev.tokenpool.schemas.Order;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The processor's pool work on real RocksDB stores ({@link BenchPool}): what one command costs in the
 * processor itself. Results are operations per second; the *PerToken benchmarks count each token as
 * an operation.
 */
@State(Scope.Thread)
public class PoolBenchmark extends PoolBenchmarkSettings {
    static final int PREFILL = 300_000;
    private BenchPool pool;
    private int deleted;
    private int lookups;

    @Setup(Level.Iteration)
    public void open() throws Exception {
        pool = new BenchPool();
        deleted = 0;
        for (int i = 0; i < PREFILL; i += 500) {
            pool.add(500);
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        pool.close();
    }

    @Benchmark
    public Object addOneToken() {
        return pool.add(1);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object add500TokensPerToken() {
        return pool.add(500);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object deleteByIdsPerToken() {
        List<String> ids = new ArrayList<>(500);
        for (int i = 0; i < 500; i++) {
            ids.add(BenchPool.tokenId(deleted++ % PREFILL));
        }
        return pool.delete(ids);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public Object deleteByOrderPerToken() {
        Object result = pool.deleteByOrder(500, Order.ASC);
        if (pool.count() < 1_000) {
            for (int i = 0; i < 20; i++) {
                pool.add(500);
            }
        }
        return result;
    }

    @Benchmark
    public Object getToken() {
        return pool.find(BenchPool.tokenId(Math.floorMod(lookups++ * 7919, PREFILL)));
    }
}
