package dev.tokenpool.standalone;

import dev.tokenpool.runtime.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the committed records of a topic of the test broker, every partition, as a client would. */
final class TopicReader {
    private TopicReader() {}

    /** Everything on the topic once it holds at least {@code atLeast} committed records. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                        return records.size() >= atLeast
                                && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                    },
                    () -> "expected " + atLeast + " records on " + topic + ", got " + records.size());
            return records;
        }
    }
}
