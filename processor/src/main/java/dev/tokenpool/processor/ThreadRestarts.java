package dev.tokenpool.processor;

import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed stream thread, waiting longer after each failure in a row (1 s, 2 s, 4 s … up to
 * a minute), so a persistent failure such as an unreachable broker does not spin a core. A thread
 * that has run for a while without failing resets the wait.
 */
final class ThreadRestarts implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadRestarts.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(1);

    /** Sleeps; a field so tests can see the waits without waiting. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private final java.util.function.LongSupplier nanoClock;
    private int failuresInARow;
    private long lastFailureNanos;

    ThreadRestarts() {
        this(duration -> Thread.sleep(duration), System::nanoTime);
    }

    ThreadRestarts(Sleeper sleeper, java.util.function.LongSupplier nanoClock) {
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        long now = nanoClock.getAsLong();
        if (failuresInARow > 0 && now - lastFailureNanos > 2 * MAX_WAIT.toNanos()) {
            failuresInARow = 0; // ran fine for a good while: this is a new failure, not a loop
        }
        Duration wait = nextWait();
        failuresInARow++;
        lastFailureNanos = now;
        log.error(
                "stream thread failed ({} in a row); replacing it in {} s", failuresInARow, wait.toSeconds(), failure);
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private Duration nextWait() {
        long millis = FIRST_WAIT.toMillis() << Math.min(failuresInARow, 16);
        return Duration.ofMillis(Math.min(millis, MAX_WAIT.toMillis()));
    }
}
