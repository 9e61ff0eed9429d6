package dev.tokenpool.gateway;

import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes commands keyed by project ID and completes each one's future when its result arrives
 * on this gateway's own reply topic. The reply topic has one partition and only this instance reads
 * it, so with several gateways each gets exactly its own results.
 */
final class CommandBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandBus.class);
    /** Results are only useful for the request timeout; an hour keeps the topic small. */
    private static final String REPLY_RETENTION_MS = "3600000";

    private final GatewaySettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> replies;
    private final Map<String, CompletableFuture<PoolResult>> pending = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ConsumerLoop replyReader;
    private final Deserializer<PoolResult> results = TokenPoolSerdes.result().deserializer();
    private volatile boolean replyTopicReady;

    CommandBus(GatewaySettings settings, Admin admin) {
        this.settings = settings;
        createReplyTopic(admin);
        this.producer = KafkaClients.producer(settings.bootstrapServers(), "tokenpool-gateway-" + settings.gatewayId());
        this.replies = KafkaClients.consumer(settings.bootstrapServers(), "tokenpool-gateway-replies-" + settings.gatewayId());
        TopicPartition partition = new TopicPartition(settings.replyTopic(), 0);
        replies.assign(List.of(partition));
        // Results from before this start belong to requests nobody waits for any more.
        replies.seekToEnd(List.of(partition));
        replies.position(partition);
        replyTopicReady = true;
        this.replyReader = new ConsumerLoop("reply-reader-" + settings.gatewayId(), replies, this::deliver, () -> { });
        log.info("gateway {} reads its results from {}", settings.gatewayId(), settings.replyTopic());
    }

    /** Sends the command; the future ends with its result, a {@link java.util.concurrent.TimeoutException} or a {@link KafkaUnavailableException}. */
    CompletableFuture<PoolResult> submit(String projectId, PoolCommand command) {
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<PoolResult> result = new CompletableFuture<>();
        pending.put(correlationId, result);
        result.whenComplete((r, e) -> pending.remove(correlationId));
        byte[] value = CommandCodec.encode(CommandEnvelope.of(correlationId, settings.replyTopic(), command));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.commandsTopic(), projectId, value);
        // send() can block on metadata while Kafka is away: keep that off the HTTP event loop.
        senders.execute(() -> {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        result.completeExceptionally(new KafkaUnavailableException(error));
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(new KafkaUnavailableException(e));
            }
        });
        return result.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    int inFlight() {
        return pending.size();
    }

    boolean isReady() {
        return replyTopicReady && replyReader.isAlive();
    }

    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    KafkaConsumer<String, byte[]> replyConsumer() {
        return replies;
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        PoolResult result;
        try {
            result = results.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (result == null) {
            return;
        }
        CompletableFuture<PoolResult> waiting = pending.get(result.correlationId());
        if (waiting == null) {
            log.debug("result {} arrived after its request ended", result.correlationId());
            return;
        }
        waiting.complete(result);
    }

    private void createReplyTopic(Admin admin) {
        KafkaClients.createIfMissing(admin, new NewTopic(settings.replyTopic(), 1, (short) -1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, REPLY_RETENTION_MS)));
    }

    @Override
    public void close() {
        replyReader.close();
        senders.shutdown();
        producer.close(Duration.ofSeconds(5));
        pending.values().forEach(f -> f.completeExceptionally(new KafkaUnavailableException(
                new IllegalStateException("gateway is shutting down"))));
    }
}
