package dev.tokenpool.gateway;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.HeldFetches;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.CommandPartitions;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
final class CommandBus implements CommandSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandBus.class);

    private final GatewaySettings settings;
    private final Resources resources = new Resources();
    private final KafkaProducer<String, byte[]> producer;
    private final CommandsTopic commandsTopic;
    private final PendingReplies pending = new PendingReplies();
    private final SendCircuit circuit = new SendCircuit();
    private final ExecutorService senders;
    private final ConsumerLoop replyReader;
    private final Deserializer<PoolResult> results = TokenPoolSerdes.result().deserializer();
    /** Per partition of the commands topic, the highest offset of a command this gateway wrote there. */
    private final Map<Integer, Long> sent = new ConcurrentHashMap<>();

    private volatile long lastAnswerNanos =
            System.nanoTime() - Duration.ofDays(1).toNanos();

    CommandBus(GatewaySettings settings, Admin admin, MeterRegistry metrics) {
        this.settings = settings;
        try {
            Map<String, String> replyConfigs = new HashMap<>(DeletedDataBound.replies(settings.deletedDataRetention()));
            replyConfigs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PoolResult.MAX_BYTES));
            KafkaTopics.createIfMissing(
                    admin, new NewTopic(settings.replyTopic(), 1, (short) -1).configs(replyConfigs));
            KafkaTopics.applyConfigs(
                    admin, settings.replyTopic(), replyConfigs); // one created by an earlier version too
            this.commandsTopic = new CommandsTopic(admin, settings.commandsTopic());
            this.producer =
                    resources.add(KafkaClients.producer(settings.kafka(), "tokenpool-gateway-" + settings.gatewayId()));
            this.senders = Executors.newVirtualThreadPerTaskExecutor();
            resources.add(senders::shutdown);
            List<TopicPartition> replyPartitions =
                    new ArrayList<>(List.of(new TopicPartition(settings.replyTopic(), 0)));
            if (KafkaTopics.exists(admin, settings.legacyReplyTopic())) {
                replyPartitions.add(new TopicPartition(settings.legacyReplyTopic(), 0));
                log.info(
                        "gateway {} also reads {}, its reply topic before gateways had a prefix of their own",
                        settings.gatewayId(),
                        settings.legacyReplyTopic());
            }
            // Results from before this start belong to requests nobody waits for any more: read from the end.
            KafkaConsumer<String, byte[]> replies = KafkaClients.assigned(
                    KafkaClients.consumer(
                            settings.kafka(), "tokenpool-gateway-replies-" + settings.gatewayId(), HeldFetches.WAIT),
                    replyPartitions,
                    true);
            resources.add(new KafkaClientMetrics(producer)).bindTo(metrics);
            resources.add(new KafkaClientMetrics(replies)).bindTo(metrics);
            Gauge.builder("tokenpool.gateway.in.flight", pending, PendingReplies::size)
                    .description("Commands published and waiting for their result")
                    .register(metrics);
            this.replyReader =
                    resources.add(new ConsumerLoop("replies", settings.gatewayId(), replies, metrics, this::deliver));
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
        log.info("gateway {} reads its results from {}", settings.gatewayId(), settings.replyTopic());
    }

    /**
     * Sends the command. Only a failure that proves the record was never written ends the future with
     * {@link KafkaUnavailableException} (503, "nothing was applied"): the commands topic does not exist
     * yet (the processor creates it; a gateway never does), no metadata for it (Kafka unreachable), or an
     * error the broker answered for the record. A delivery timeout does not
     * say whether the broker wrote the record before it went quiet, so the request keeps waiting for its
     * result, and times out (504, "may still be applied") if none comes; it also opens the
     * {@link SendCircuit}, so the requests that follow are refused at once, before anything is sent.
     */
    @Override
    public CompletableFuture<PoolResult> submit(
            String projectId, PoolCommand command, String actor, String idempotencyKey) {
        if (!circuit.allowSend()) {
            return CompletableFuture.failedFuture(new KafkaUnavailableException(
                    new IllegalStateException("Kafka did not answer the last sends; nothing was sent")));
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<PoolResult> result = pending.expect(correlationId, settings.requestTimeout());
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        byte[] value = CommandCodec.encode(CommandEnvelope.of(correlationId, settings.replyTopic(), command)
                .withActor(actor)
                .withIdempotencyKey(idempotencyKey));
        // send() can block on metadata while Kafka is away: keep that off the HTTP event loop.
        senders.execute(() -> {
            try {
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(settings.commandsTopic(), partitionOf(projectId), projectId, value);
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        circuit.acknowledged();
                        sent.merge(metadata.partition(), metadata.offset(), Math::max);
                        written.complete(metadata);
                        return;
                    }
                    written.completeExceptionally(error);
                    if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
                        circuit.timedOut();
                    } else {
                        pending.fail(correlationId, new KafkaUnavailableException(error));
                    }
                });
            } catch (RuntimeException e) {
                if (e instanceof org.apache.kafka.common.errors.TimeoutException
                        || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    circuit.timedOut(); // no metadata within max.block.ms: Kafka is not answering either
                }
                pending.fail(correlationId, new KafkaUnavailableException(e));
            }
        });
        // Answered only once the send is acknowledged too (it comes first in practice), so that a read made after
        // the answer knows the command's offset and waits for the stores to have it (see sentThrough).
        return result.thenCompose(answer -> written.handle((metadata, error) -> answer));
    }

    /**
     * The partition of the commands topic that holds {@code projectId}'s pool: the producer's own choice
     * for the key, made here so that local reads know it too. Blocks while there is no metadata for the
     * topic; throws {@link KafkaUnavailableException} when the topic does not exist.
     */
    int partitionOf(String projectId) {
        commandsTopic.require();
        int partitions = producer.partitionsFor(settings.commandsTopic()).size(); // throws when Kafka cannot be reached
        return CommandPartitions.of(projectId, partitions);
    }

    /**
     * The highest offset of a command this gateway wrote to {@code partition} since it started (answered
     * or still in flight); -1 if none. A read that includes every command up to it is at least as fresh as
     * one sent through Kafka now would be, as far as this gateway's own commands go.
     */
    long sentThrough(int partition) {
        return sent.getOrDefault(partition, -1L);
    }

    boolean isReady() {
        return replyReader.isAlive();
    }

    /** Whether Kafka acknowledged the last sends (the send circuit is closed). */
    boolean kafkaAnswers() {
        return circuit.isClosed();
    }

    /** Whether a result (of any command, for anyone) reached this gateway within {@code window}. */
    boolean answeredWithin(Duration window) {
        return System.nanoTime() - lastAnswerNanos < window.toNanos();
    }

    /** A record the reply topic holds; one that is no result of this gateway's throws, and the loop skips it. */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        PoolResult result = results.deserialize(record.topic(), record.value());
        if (result == null || result.correlationId() == null) {
            throw new IllegalArgumentException("not a result: no correlationId");
        }
        lastAnswerNanos = System.nanoTime();
        if (!pending.deliver(result)) {
            log.debug("result {} arrived after its request ended", result.correlationId());
        }
    }

    @Override
    public void close() {
        resources.close();
        pending.failAll(new KafkaUnavailableException(new IllegalStateException("gateway is shutting down")));
    }
}
