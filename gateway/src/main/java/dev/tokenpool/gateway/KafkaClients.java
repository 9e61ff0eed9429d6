package dev.tokenpool.gateway;

import dev.tokenpool.runtime.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The gateway's Kafka client settings, in one place. */
final class KafkaClients {

    private KafkaClients() {}

    /** Fails a send within seconds when Kafka is unreachable, so the client gets a 503 instead of hanging. */
    static KafkaProducer<String, byte[]> producer(KafkaConnection kafka, String clientId) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A group-less consumer with {@code partitions} assigned and its position set by {@code seek}; if that
     * fails the consumer is closed before the exception goes on, so nothing is left open.
     */
    static KafkaConsumer<String, byte[]> assigned(
            KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, boolean fromEnd) {
        try {
            consumer.assign(partitions);
            if (fromEnd) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            partitions.forEach(consumer::position); // resolves the seek now, while failing is still cheap
            return consumer;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /**
     * A consumer without a group: the gateway assigns partitions itself. Reads committed records only.
     * {@code fetchWait} is how long the broker may hold a fetch for data: short for replies someone
     * waits on, long for topics that rarely change.
     */
    static KafkaConsumer<String, byte[]> consumer(KafkaConnection kafka, String clientId, Duration fetchWait) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetchWait.toMillis());
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
