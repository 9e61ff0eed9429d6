package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The commands this gateway waits on, by correlation ID. Each wait ends with its result, a
 * {@link java.util.concurrent.TimeoutException} or a failure, and is forgotten as soon as it ends, so
 * the map never holds more than the requests in flight.
 */
final class PendingReplies {
    private final Map<String, CompletableFuture<PoolResult>> waiting = new ConcurrentHashMap<>();

    /** Starts waiting for the result of {@code correlationId}, for at most {@code timeout}. */
    CompletableFuture<PoolResult> expect(String correlationId, Duration timeout) {
        CompletableFuture<PoolResult> result = new CompletableFuture<>();
        if (waiting.putIfAbsent(correlationId, result) != null) {
            throw new IllegalStateException("already waiting for " + correlationId);
        }
        result.whenComplete((r, e) -> waiting.remove(correlationId, result));
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hands a result to its waiting request; false when nobody waits for it (any more), or it names no request. */
    boolean deliver(PoolResult result) {
        if (result.correlationId() == null) {
            return false;
        }
        CompletableFuture<PoolResult> request = waiting.get(result.correlationId());
        return request != null && request.complete(result);
    }

    void fail(String correlationId, Throwable error) {
        CompletableFuture<PoolResult> request = waiting.get(correlationId);
        if (request != null) {
            request.completeExceptionally(error);
        }
    }

    void failAll(Throwable error) {
        waiting.values().forEach(request -> request.completeExceptionally(error));
    }

    int size() {
        return waiting.size();
    }
}
