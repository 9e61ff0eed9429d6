package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for a condition with a time limit: the one polling loop of tokenpool. */
public final class Deadline {
    private static final Duration POLL = Duration.ofMillis(20);

    private Deadline() {}

    /**
     * Returns as soon as {@code condition} holds; throws {@link TimedOut} with {@code what} once
     * {@code timeout} has passed without it.
     */
    public static void await(Duration timeout, Condition condition, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimedOut(what.get() + " (waited " + timeout.toMillis() + " ms)");
            }
            Thread.sleep(POLL);
        }
    }

    /** What is waited for; it may ask the network, so it may throw. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** The condition did not hold in time. */
    public static final class TimedOut extends IllegalStateException {
        public TimedOut(String message) {
            super(message);
        }
    }
}
