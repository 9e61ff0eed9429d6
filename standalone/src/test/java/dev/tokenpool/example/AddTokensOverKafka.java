package dev.tokenpool.example;

import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import dev.tokenpool.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class AddTokensOverKafka {
    /** Any topic under tokenpool.replies. may receive results; it is yours to create. */
    static final String REPLIES = "tokenpool.replies.my-app";

    public static PoolResult addTokens(String bootstrapServers, String projectId, List<String> tokenIds)
            throws Exception {
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(REPLIES, 1, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        try (var producer = new KafkaProducer<>(
                        kafka, new StringSerializer(), TokenPoolSerdes.command().serializer());
                var consumer = new KafkaConsumer<>(
                        Map.<String, Object>of(
                                "bootstrap.servers", bootstrapServers, "isolation.level", "read_committed"),
                        new StringDeserializer(),
                        TokenPoolSerdes.result().deserializer())) {
            TopicPartition replies = new TopicPartition(REPLIES, 0);
            consumer.assign(List.of(replies));
            consumer.seekToEnd(List.of(replies));
            consumer.position(replies); // read only what comes from now on

            String correlationId = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(
                            Topics.COMMANDS,
                            projectId,
                            CommandEnvelope.of(correlationId, REPLIES, new PoolCommand.AddTokens(tokenIds))))
                    .get();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, PoolResult> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().correlationId().equals(correlationId)) {
                        return record.value(); // record.key() is the project ID
                    }
                }
            }
            throw new IllegalStateException("no result within 10 s: is the processor running?");
        }
    }

    public static void main(String[] args) throws Exception {
        PoolResult result = addTokens("localhost:9092", "demo", List.of("user001a", "api.key.01"));
        System.out.println(
                result.status() + " " + result.bodyAs(AddTokensResponse.class).summary());
    }
}
