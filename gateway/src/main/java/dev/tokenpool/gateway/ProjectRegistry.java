package dev.tokenpool.gateway;

import dev.tokenpool.runtime.HeldFetches;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenPoolSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project registry topic, read into a {@link ProjectDirectory} in memory and written by the admin
 * API. Writes go to the topic first; this gateway applies them at once (with the offset Kafka gave
 * them), other gateways when their readers reach them.
 */
final class ProjectRegistry implements ProjectStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProjectRegistry.class);
    // The reader sends nothing but fetches (HeldFetches): where the topic ends is asked through the admin client.
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final Resources resources = new Resources();
    private final KafkaProducer<String, byte[]> producer;
    private final ProjectDirectory directory = new ProjectDirectory();
    private final Serializer<ProjectRecord> serializer =
            TokenPoolSerdes.project().serializer();
    private final Deserializer<ProjectRecord> deserializer =
            TokenPoolSerdes.project().deserializer();
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private final ConsumerLoop reader;
    private final java.util.concurrent.CompletableFuture<Void> loaded;
    private final Set<String> rehashing = ConcurrentHashMap.newKeySet();

    /** {@code admin} stays the caller's: it answers where the registry ends, and is not closed here. */
    ProjectRegistry(GatewaySettings settings, Admin admin, MeterRegistry metrics) {
        this.topic = settings.projectsTopic();
        this.admin = admin;
        try {
            this.producer = resources.add(KafkaClients.producer(
                    settings.kafka(), "tokenpool-gateway-projects-writer-" + settings.gatewayId()));
            KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(
                    settings.kafka(), "tokenpool-gateway-projects-" + settings.gatewayId(), HeldFetches.WAIT);
            try {
                this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("project registry topic " + topic + " does not exist");
                }
            } catch (RuntimeException e) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                throw e;
            }
            KafkaClients.assigned(consumer, partitions, false);
            resources.add(new KafkaClientMetrics(producer)).bindTo(metrics);
            resources.add(new KafkaClientMetrics(consumer)).bindTo(metrics);
            this.reader =
                    resources.add(new ConsumerLoop("projects", settings.gatewayId(), consumer, metrics, this::read));
            this.loaded = reader.caughtUp(end())
                    .thenRun(() -> log.info("project registry loaded: {} projects", directory.size()));
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /** Blocks until the registry has read everything that was in the topic when it started. */
    void awaitLoaded(Duration timeout) throws Exception {
        loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isLoaded() {
        return loaded.isDone() && !loaded.isCompletedExceptionally() && reader.isAlive();
    }

    /**
     * The project of {@code apiKey}. A project whose key the registry still holds in the legacy hash form
     * is found by that too, and its record is re-hashed in the background, so no owner is locked out.
     */
    @Override
    public Optional<ProjectRecord> byApiKey(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProjectRecord> project = directory.byApiKeyHash(ApiKeys.hash(apiKey));
        if (project.isPresent()) {
            return project;
        }
        Optional<ProjectRecord> legacy = directory.byApiKeyHash(ApiKeys.legacyHash(apiKey));
        legacy.ifPresent(found -> rehash(found.projectId(), apiKey));
        return legacy;
    }

    private void rehash(String projectId, String apiKey) {
        if (!rehashing.add(projectId)) {
            return;
        }
        String legacy = ApiKeys.legacyHash(apiKey);
        Thread.ofVirtual().name("rehash-" + projectId).start(() -> {
            try {
                update(
                        projectId,
                        p -> legacy.equals(p.apiKeyHash())
                                ? p.withApiKeyHash(ApiKeys.hash(apiKey), Timestamps.now())
                                : p);
                log.info("project {}: API key hash stored in the current form", projectId);
            } catch (Exception e) {
                log.warn(
                        "project {}: could not store the API key hash in the current form ({}); next request tries again",
                        projectId,
                        e.toString());
            } finally {
                rehashing.remove(projectId);
            }
        });
    }

    @Override
    public Optional<ProjectRecord> byId(String projectId) {
        return directory.byId(projectId);
    }

    @Override
    public Collection<ProjectRecord> all() {
        return directory.all();
    }

    @Override
    public void create(ProjectRecord project) throws Exception {
        write(project);
    }

    /**
     * Read-modify-write in one step for this gateway: updates are applied one at a time, each to the
     * record as it stands once the reader has caught up with the topic, so an update never brings back
     * what an earlier one (such as a new API key) replaced.
     */
    @Override
    public synchronized Optional<ProjectRecord> update(String projectId, UnaryOperator<ProjectRecord> change)
            throws Exception {
        reader.caughtUp(end()).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Optional<ProjectRecord> current = directory.byId(projectId);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        ProjectRecord updated = change.apply(current.get());
        if (updated != current.get()) {
            write(updated);
        }
        return Optional.of(updated);
    }

    /** Where each partition of the registry ends now (the reader reads committed records only). */
    private Map<TopicPartition, Long> end() {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> end.put(partition, info.offset()));
            return end;
        } catch (ExecutionException e) {
            throw new KafkaException("could not ask where the project registry " + topic + " ends", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaException(
                    "Kafka did not say within " + WRITE_TIMEOUT.toSeconds() + " s where the project registry " + topic
                            + " ends",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException(e);
        }
    }

    /** Once Kafka has the record the write succeeded: applying it here cannot fail (see ProjectDirectory). */
    private void write(ProjectRecord project) throws Exception {
        RecordMetadata written = producer.send(
                        new ProducerRecord<>(topic, project.projectId(), serializer.serialize(topic, project)))
                .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        directory.apply(project.projectId(), project, written.offset());
    }

    /**
     * Applies one registry record: a project, or a tombstone that removes one. Anything else throws, and the
     * loop skips it with its offset in the log: no record can stop the reader or hide another project.
     */
    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("a project record needs the project ID as its key");
        }
        if (record.value() == null) {
            directory.apply(record.key(), null, record.offset());
            return;
        }
        ProjectRecord project = deserializer.deserialize(topic, record.value());
        if (!record.key().equals(project.projectId())) {
            throw new IllegalArgumentException(
                    "key " + record.key() + " differs from projectId " + project.projectId());
        }
        directory.apply(record.key(), project, record.offset());
    }

    @Override
    public void close() {
        resources.close();
    }
}
