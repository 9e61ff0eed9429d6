package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The standalone broker formats its storage once and keeps its data across restarts. */
class EmbeddedKafkaIT {

    @Test
    void shouldReadAfterARestartWhatWasWrittenBeforeIt() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-embedded");
        int port = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port, controllerPort);
                KafkaProducer<String, String> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>("kept", "project", "before restart"))
                    .get();
        }
        assertThat(dataDir.resolve("meta.properties")).exists();

        try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port, controllerPort);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("kept", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return !records.isEmpty();
                    },
                    () -> "the record written before the restart is read");
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("before restart");
        }
    }
}
