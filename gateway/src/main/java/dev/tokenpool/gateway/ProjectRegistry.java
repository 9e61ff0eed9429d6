package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects every gateway knows, read from the compacted registry topic into memory, with an
 * index from API key hash to project. Writes go to the topic first; the writer applies them locally
 * at once, other gateways when they read them.
 */
final class ProjectRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProjectRegistry.class);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, ProjectRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByKeyHash = new ConcurrentHashMap<>();
    private final Serializer<ProjectRecord> serializer = TokenPoolSerdes.project().serializer();
    private final Deserializer<ProjectRecord> deserializer = TokenPoolSerdes.project().deserializer();
    private final ConsumerLoop reader;
    private volatile boolean caughtUp;

    ProjectRegistry(String bootstrapServers, String topic, KafkaProducer<String, byte[]> producer, String clientId) {
        this.topic = topic;
        this.producer = producer;
        this.consumer = KafkaClients.consumer(bootstrapServers, clientId);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("project registry topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        this.reader = new ConsumerLoop("project-registry", consumer, this::readRecord, () -> noteCaughtUp(end));
    }

    /** Blocks until the registry has read everything that was in the topic when it started. */
    void awaitLoaded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("project registry not loaded after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    boolean isLoaded() {
        return caughtUp && reader.isAlive();
    }

    Optional<ProjectRecord> byApiKey(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(apiKey);
        return Optional.ofNullable(idByKeyHash.get(hash)).map(byId::get).filter(p -> p.apiKeyHash().equals(hash));
    }

    Optional<ProjectRecord> byId(String projectId) {
        return Optional.ofNullable(byId.get(projectId));
    }

    Collection<ProjectRecord> all() {
        return List.copyOf(byId.values());
    }

    /** Writes the project to the registry topic and, once Kafka has it, to this gateway's view. */
    void save(ProjectRecord project) throws ExecutionException, InterruptedException, TimeoutException {
        producer.send(new ProducerRecord<>(topic, project.projectId(), serializer.serialize(topic, project)))
                .get(15, TimeUnit.SECONDS);
        apply(project);
    }

    /** Called on the reader's thread after each poll. */
    private void noteCaughtUp(Map<TopicPartition, Long> end) {
        if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            caughtUp = true;
            log.info("project registry loaded: {} projects", byId.size());
        }
    }

    private void readRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            ProjectRecord removed = byId.remove(record.key());
            if (removed != null) {
                idByKeyHash.remove(removed.apiKeyHash());
            }
            return;
        }
        try {
            apply(deserializer.deserialize(topic, record.value()));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable project record {} at offset {}: {}", record.key(), record.offset(), e.getMessage());
        }
    }

    private synchronized void apply(ProjectRecord project) {
        ProjectRecord previous = byId.get(project.projectId());
        if (previous != null && Instant.parse(project.updatedAt()).isBefore(Instant.parse(previous.updatedAt()))) {
            return; // this gateway already applied a newer write of its own
        }
        byId.put(project.projectId(), project);
        if (previous != null && !previous.apiKeyHash().equals(project.apiKeyHash())) {
            idByKeyHash.remove(previous.apiKeyHash());
        }
        idByKeyHash.put(project.apiKeyHash(), project.projectId());
    }

    @Override
    public void close() {
        reader.close();
    }
}
