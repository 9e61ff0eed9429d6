package dev.tokenpool.processor;

import dev.tokenpool.schemas.Order;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whether a command costs the same in a pool of 1,000 tokens as in one of 1,000,000 ({@link BenchPool},
 * real RocksDB stores): a lookup, a POST of a token already there (which answers the pool's
 * currentCount), and a churn of the 100 oldest out and 100 new in (the pool keeps its size). Compare
 * the two sizes' scores: the pool's size should not show.
 */
@State(Scope.Thread)
public class PoolSizeBenchmark extends PoolBenchmarkSettings {
    @Param({"1000", "1000000"})
    int size;

    private BenchPool pool;
    private long lookups;

    @Setup(Level.Trial)
    public void open() throws Exception {
        pool = new BenchPool();
        for (int i = 0; i < size; i += 500) {
            pool.add(Math.min(500, size - i));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        pool.close();
    }

    /** One of the pool's live tokens: the newest {@code size} generated. */
    private String liveToken() {
        return BenchPool.tokenId(pool.generated() - 1 - (int) Math.floorMod(lookups++ * 7919, size));
    }

    @Benchmark
    public Object getToken() {
        return pool.find(liveToken());
    }

    @Benchmark
    public Object postExistingToken() {
        return pool.add(List.of(liveToken()));
    }

    @Benchmark
    public Object churn100() {
        pool.deleteByOrder(100, Order.ASC);
        return pool.add(100);
    }
}
