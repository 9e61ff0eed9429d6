package dev.tokenpool.processor;

import dev.tokenpool.schemas.Order;
import java.util.Arrays;

/**
 * Whether deleting by count stays as fast after many deletes from the same end: fills one pool with
 * {@code -Dbench.tokens} (1,000,000) tokens, then times {@code -Dbench.commands} (200) consecutive
 * deletes of {@code -Dbench.count} (5,000) from the oldest end on real RocksDB stores. A store that
 * walked its index from the start would step over every tombstone left by the earlier deletes, and
 * each command would be slower than the last; the ratio of the last commands to the first says
 * (medians: RocksDB's background compactions, on the same cores, slow a few commands at random).
 */
public final class DeleteByCountBench {
    private DeleteByCountBench() {}

    public static void main(String[] args) throws Exception {
        int tokens = Integer.getInteger("bench.tokens", 1_000_000);
        int commands = Integer.getInteger("bench.commands", 200);
        int count = Integer.getInteger("bench.count", 5_000);
        int window = Math.max(1, commands / 10);
        try (BenchPool pool = new BenchPool()) {
            long fillStart = System.nanoTime();
            for (int i = 0; i < tokens; i += 500) {
                pool.add(Math.min(500, tokens - i));
            }
            System.out.printf(
                    "filled one pool with %,d tokens in %.1f s%n", pool.count(), (System.nanoTime() - fillStart) / 1e9);
            warmUp();
            double[] millis = new double[commands];
            for (int i = 0; i < commands; i++) {
                long start = System.nanoTime();
                pool.deleteByOrder(count, Order.ASC);
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            double first = median(Arrays.copyOfRange(millis, 0, window));
            double last = median(Arrays.copyOfRange(millis, commands - window, commands));
            System.out.printf(
                    "%d × {count: %d, order: asc}: median of the first %d: %.2f ms, of the last %d: %.2f ms, "
                            + "ratio last/first %.2f; slowest %.2f ms; pool left %,d tokens%n",
                    commands,
                    count,
                    window,
                    first,
                    window,
                    last,
                    last / first,
                    Arrays.stream(millis).max().orElse(0),
                    pool.count());
        }
    }

    /** The same work on a pool of its own first, so the JIT has compiled it before the measured commands. */
    private static void warmUp() throws Exception {
        try (BenchPool pool = new BenchPool()) {
            for (int i = 0; i < 100_000; i += 500) {
                pool.add(500);
            }
            for (int i = 0; i < 20; i++) {
                pool.deleteByOrder(5_000, Order.ASC);
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
