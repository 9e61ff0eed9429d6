package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tokenpool.runtime.HeldFetches;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.schemas.Json;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether each project's webhook is failing, for the admin API and the metrics of every gateway: a compacted topic
 * (key: project ID) that delivery writes when an event runs out of attempts (failing) and when a delivery to a failing
 * endpoint succeeds again (healthy), and that every gateway reads whole.
 */
final class WebhookStatus implements AutoCloseable {
    /** A project's webhook as delivery last found it; {@code failing} since {@code since}, for {@code lastError}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(boolean failing, String since, String lastError, long deadLettered) {
        static final Status HEALTHY = new Status(false, null, null, 0);
    }

    private final String topic;
    private final Map<String, Status> byProject = new ConcurrentHashMap<>();
    private final Resources resources = new Resources();

    WebhookStatus(GatewaySettings settings, MeterRegistry metrics) {
        this.topic = settings.webhooks().statusTopic();
        try {
            KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(
                    settings.kafka(), "tokenpool-gateway-webhook-status-" + settings.gatewayId(), HeldFetches.WAIT);
            KafkaClients.assigned(consumer, List.of(new TopicPartition(topic, 0)), false);
            resources.add(new ConsumerLoop("webhook-status", settings.gatewayId(), consumer, metrics, this::read));
            Gauge.builder(
                            "tokenpool.webhook.failing.endpoints",
                            byProject,
                            map -> map.values().stream().filter(Status::failing).count())
                    .description("Projects whose webhook endpoint is failing: an event ran out of attempts")
                    .register(metrics);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("a status record without a project ID");
        }
        if (record.value() == null) {
            byProject.remove(record.key());
            return;
        }
        try {
            byProject.put(record.key(), Json.MAPPER.readValue(record.value(), Status.class));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a webhook status: " + e.getMessage());
        }
    }

    Optional<Status> of(String projectId) {
        return Optional.ofNullable(byProject.get(projectId));
    }

    /**
     * Records {@code status} for the project, for every gateway, without waiting: a report that does not reach Kafka
     * is made again at the project's next failure or success.
     */
    void report(KafkaProducer<String, byte[]> producer, String projectId, Status status) {
        byProject.put(projectId, status); // this gateway knows at once; the others when they read it
        try {
            producer.send(new ProducerRecord<>(topic, projectId, Json.write(status)));
        } catch (RuntimeException e) {
            // Kafka away: reported again at the next failure or success
        }
    }

    @Override
    public void close() {
        resources.close();
    }
}
