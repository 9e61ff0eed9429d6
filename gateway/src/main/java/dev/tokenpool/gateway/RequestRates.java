package dev.tokenpool.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each project's per-second limit, kept by this gateway: a token bucket per project that holds at most one
 * second's worth of requests and refills continuously. With several gateways each keeps its own, so a project
 * may reach its limit at each of them. One entry per project this gateway has served.
 */
final class RequestRates {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    RequestRates() {
        this(System::nanoTime);
    }

    RequestRates(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether one more request of {@code projectId} fits within {@code perSecond}. */
    boolean tryAcquire(String projectId, int perSecond) {
        return buckets.computeIfAbsent(projectId, id -> new Bucket(perSecond, nanoClock.getAsLong()))
                .tryAcquire(perSecond, nanoClock.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(int perSecond, long nowNanos) {
            this.tokens = perSecond;
            this.lastNanos = nowNanos;
        }

        synchronized boolean tryAcquire(int perSecond, long nowNanos) {
            tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
            lastNanos = nowNanos;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
