package dev.tokenpool.bench;

import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.DecodedCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ReplyAddress;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The anchor of the HTTP benchmark: a bare Kafka request/reply service that answers every command
 * with a canned result and does nothing else. Transactional, it reads committed commands and writes
 * results and consumed offsets in one transaction committed every 10 ms — what exactly-once costs,
 * the floor under tokenpool's processor with the same commit interval. Plain, it uses an idempotent
 * producer without transactions and auto-committed offsets.
 */
final class EchoService implements AutoCloseable {
    static final Duration COMMIT_EVERY = Duration.ofMillis(10);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, PoolResult> producer;
    private final boolean transactional;
    private final Thread loop;
    private volatile boolean running = true;

    EchoService(String bootstrapServers, String commandsTopic, boolean transactional) {
        this.transactional = transactional;
        Map<String, Object> consumerConfig = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "echo-" + commandsTopic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                10,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                !transactional));
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                // As tokenpool's processor: a transactional producer's records wait for the commit, which sends them.
                ProducerConfig.LINGER_MS_CONFIG,
                transactional ? (int) COMMIT_EVERY.toMillis() : 0,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true));
        if (transactional) {
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "echo-" + UUID.randomUUID());
        }
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(
                producerConfig, new StringSerializer(), TokenPoolSerdes.result().serializer());
        if (transactional) {
            producer.initTransactions();
        }
        consumer.subscribe(List.of(commandsTopic));
        loop = Thread.ofPlatform()
                .name("echo-" + (transactional ? "tx" : "plain"))
                .start(this::run);
    }

    private void run() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        boolean inTransaction = false;
        long lastCommit = System.nanoTime();
        while (running) {
            // As tokenpool's processor: with results waiting, the poll ends when the commit is due.
            long untilDue = COMMIT_EVERY.toNanos() - (System.nanoTime() - lastCommit);
            ConsumerRecords<String, byte[]> records = consumer.poll(
                    inTransaction ? Duration.ofMillis(Math.max(1, (untilDue + 999_999) / 1_000_000)) : COMMIT_EVERY);
            for (ConsumerRecord<String, byte[]> record : records) {
                if (!(CommandCodec.decode(record.value()) instanceof DecodedCommand.Accepted accepted)) {
                    continue;
                }
                if (transactional && !inTransaction) {
                    producer.beginTransaction();
                    inTransaction = true;
                }
                ReplyAddress to = new ReplyAddress(
                        accepted.envelope().correlationId(), accepted.envelope().replyTo());
                producer.send(new ProducerRecord<>(
                        to.replyTo(), record.key(), PoolResult.of(to, AddTokensResponse.of(1, 1, List.of()))));
                offsets.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            if (inTransaction && System.nanoTime() - lastCommit >= COMMIT_EVERY.toNanos()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                offsets.clear();
                inTransaction = false;
                lastCommit = System.nanoTime();
            } else if (!inTransaction) {
                lastCommit = System.nanoTime();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join();
        consumer.close();
        producer.close();
    }
}
