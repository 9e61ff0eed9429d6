package dev.tokenpool.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether to hand commands to Kafka now. A send that times out means Kafka stopped answering: the
 * circuit opens, and while it is open commands are refused at once (503, nothing sent, so certainly
 * nothing applied) instead of each waiting for its own timeout. One trial send per second goes
 * through; the first that Kafka acknowledges closes the circuit.
 */
final class SendCircuit {
    static final Duration TRIAL_EVERY = Duration.ofSeconds(1);
    private static final long CLOSED = Long.MIN_VALUE;

    private final LongSupplier nanoClock;
    private final AtomicLong lastTrialNanos = new AtomicLong(CLOSED);

    SendCircuit() {
        this(System::nanoTime);
    }

    SendCircuit(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether this command may be sent: always while closed; while open, one trial a second. */
    boolean allowSend() {
        long last = lastTrialNanos.get();
        if (last == CLOSED) {
            return true;
        }
        long now = nanoClock.getAsLong();
        return now - last >= TRIAL_EVERY.toNanos() && lastTrialNanos.compareAndSet(last, now);
    }

    /** Kafka acknowledged a send. */
    void acknowledged() {
        lastTrialNanos.set(CLOSED);
    }

    /** A send timed out: Kafka is not answering. */
    void timedOut() {
        lastTrialNanos.compareAndSet(CLOSED, nanoClock.getAsLong());
    }

    boolean isClosed() {
        return lastTrialNanos.get() == CLOSED;
    }
}
