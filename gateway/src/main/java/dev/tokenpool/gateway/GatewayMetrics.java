package dev.tokenpool.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the gateway counts: requests by operation and status, and the time from request to answer.
 * Operations are the command types (add_tokens, delete_tokens, delete_by_order, get_token); a DELETE
 * refused before its kind is known counts as "delete", anything else as "other".
 */
final class GatewayMetrics {
    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String operation, int status, Duration took) {
        Counter.builder("tokenpool.gateway.requests")
                .description("HTTP requests answered")
                .tag("operation", operation).tag("status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("tokenpool.gateway.request.duration")
                .description("Time from request to answer")
                .tag("operation", operation)
                .publishPercentiles(0.5, 0.99)
                .register(registry).record(took);
    }
}
