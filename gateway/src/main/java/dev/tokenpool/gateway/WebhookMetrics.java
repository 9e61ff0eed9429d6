package dev.tokenpool.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What webhook delivery counts, never by project: attempts by outcome and how long they took, events delivered and
 * the lag from the event to its delivery, events put off (their project had enough attempts under way), events
 * dead-lettered, and records of the events or retry topics that were no event and were skipped.
 */
final class WebhookMetrics {
    private final MeterRegistry registry;
    private final Counter putOff;
    private final Counter deadLettered;
    private final Timer lag;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.putOff = Counter.builder("tokenpool.webhook.put.off")
                .description("Events put off to the first retry topic: their project had enough attempts under way")
                .register(registry);
        this.deadLettered = Counter.builder("tokenpool.webhook.dead.lettered")
                .description("Events that ran out of attempts and went to the dead-letter topic")
                .register(registry);
        this.lag = Timer.builder("tokenpool.webhook.delivery.lag")
                .description("Time from an event to its delivery")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void attempt(boolean delivered, Duration took) {
        Timer.builder("tokenpool.webhook.attempts")
                .description("Delivery attempts by outcome (delivered: a 2xx answer) and how long they took")
                .tag("outcome", delivered ? "delivered" : "failed")
                .register(registry)
                .record(took);
    }

    void delivered(Duration sinceEvent) {
        lag.record(sinceEvent);
    }

    void putOff() {
        putOff.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void skipped(String topic) {
        Counter.builder("tokenpool.webhook.skipped.records")
                .description("Records of the events or retry topics that were no event, skipped")
                .tag("topic", topic)
                .register(registry)
                .increment();
    }
}
