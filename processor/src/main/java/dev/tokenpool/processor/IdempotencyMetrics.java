package dev.tokenpool.processor;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * What idempotency keys did in one task, as Kafka Streams metrics (the processor's /metrics shows them as
 * {@code kafka_stream_tokenpool_idempotent_replays_total} and {@code …_idempotency_refusals_total}, per task):
 * retries answered with a stored result, and commands refused for their key (reused with other content, or
 * past the project's bound). They count every client, over HTTP and straight to Kafka alike.
 */
final class IdempotencyMetrics implements AutoCloseable {
    static final String SCOPE = "tokenpool";
    private final StreamsMetrics metrics;
    private final Sensor replays;
    private final Sensor refusals;

    IdempotencyMetrics(StreamsMetrics metrics, String taskId) {
        this.metrics = metrics;
        this.replays = metrics.addRateTotalSensor(SCOPE, taskId, "idempotent-replays", Sensor.RecordingLevel.INFO);
        this.refusals = metrics.addRateTotalSensor(SCOPE, taskId, "idempotency-refusals", Sensor.RecordingLevel.INFO);
    }

    void replayed() {
        replays.record();
    }

    void refused() {
        refusals.record();
    }

    @Override
    public void close() {
        metrics.removeSensor(replays);
        metrics.removeSensor(refusals);
    }
}
