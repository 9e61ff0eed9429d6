package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.PoolResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the gateway counts: requests by operation and status, and the time from request to answer.
 * Operations are the command types (add_tokens, delete_tokens, delete_by_order, get_token); a DELETE
 * refused before its kind is known counts as "delete", anything else as "other". And what it refused to
 * protect itself or other projects, by reason, never by project.
 */
final class GatewayMetrics {
    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String operation, int status, Duration took) {
        Counter.builder("tokenpool.gateway.requests")
                .description("HTTP requests answered")
                .tag("operation", operation)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("tokenpool.gateway.request.duration")
                .description("Time from request to answer")
                .tag("operation", operation)
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(took);
    }

    /** Why a request or connection was turned away, for {@code tokenpool_gateway_refused_total{reason}}. */
    enum Refused {
        /** A project's per-second limit (429). */
        RATE("rate"),
        /** A project's daily quota (429, from the processor). */
        QUOTA("quota"),
        /** An idempotency key used with another request (422), or past the project's bound (429), by the processor. */
        IDEMPOTENCY_KEY("idempotency_key"),
        /** The body budget had no room (503). */
        BODY_BUDGET("body_budget"),
        /** The connection caps, total or per address: the connection was closed, or an older one waiting for its head. */
        CONNECTIONS("connections"),
        /** A request head did not arrive in time: the connection was closed. */
        HEAD_TIMEOUT("head_timeout");

        final String tag;

        Refused(String tag) {
            this.tag = tag;
        }
    }

    void refused(Refused reason) {
        Counter.builder("tokenpool.gateway.refused")
                .description("Requests and connections refused, by reason")
                .tag("reason", reason.tag)
                .register(registry)
                .increment();
    }

    /** Counts what a result from the processor says: a refusal, or a retry answered with a stored result. */
    void answered(PoolResult result) {
        if (result.isReplay()) {
            Counter.builder("tokenpool.gateway.idempotent.replays")
                    .description(
                            "Retries answered with the stored result of the first request with their Idempotency-Key")
                    .register(registry)
                    .increment();
            return;
        }
        String code = result.body().path("errorCode").asText("");
        if (code.equals(ErrorCode.RATE_LIMIT_EXCEEDED.code())) {
            refused(Refused.QUOTA);
        } else if (code.equals(ErrorCode.IDEMPOTENCY_KEY_REUSED.code())
                || code.equals(ErrorCode.IDEMPOTENCY_KEY_LIMIT_EXCEEDED.code())) {
            refused(Refused.IDEMPOTENCY_KEY);
        }
    }
}
