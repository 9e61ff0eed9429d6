package dev.tokenpool.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of request bodies the gateway holds while reading them, across all connections: a request
 * reserves its body's size (its Content-Length, or the body cap when it does not say) before a byte is
 * buffered, and gives it back when the body is read or given up. Past the budget a request is refused
 * before its body is read, so slow bodies on many connections cannot fill the heap. One remote address may
 * hold at most {@code perAddress} of it, so one client cannot take the whole budget from the others.
 */
final class BodyBudget {
    private final long total;
    private final long perAddress;
    private final Runnable refused;
    private final Map<String, Long> heldByAddress = new HashMap<>();
    private long held;

    /** {@code refused} counts the bodies the budget had no room for. */
    BodyBudget(long total, long perAddress, Runnable refused) {
        this.total = total;
        this.perAddress = perAddress;
        this.refused = refused;
    }

    /** A reservation of {@code bytes} for a body from {@code address}; empty when the budget has no room for it. */
    synchronized Optional<Reservation> reserve(String address, long bytes) {
        long byThisAddress = heldByAddress.getOrDefault(address, 0L);
        if (held + bytes > total || byThisAddress + bytes > perAddress) {
            refused.run();
            return Optional.empty();
        }
        held += bytes;
        heldByAddress.put(address, byThisAddress + bytes);
        return Optional.of(new Reservation(address, bytes));
    }

    synchronized long held() {
        return held;
    }

    private synchronized void release(String address, long bytes) {
        held -= bytes;
        long left = heldByAddress.getOrDefault(address, bytes) - bytes;
        if (left <= 0) {
            heldByAddress.remove(address);
        } else {
            heldByAddress.put(address, left);
        }
    }

    /** Bytes held for one body; given back once, however often {@link #release()} is called. */
    final class Reservation {
        private final String address;
        private final long bytes;
        private boolean released;

        private Reservation(String address, long bytes) {
            this.address = address;
            this.bytes = bytes;
        }

        void release() {
            synchronized (BodyBudget.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            BodyBudget.this.release(address, bytes);
        }
    }
}
