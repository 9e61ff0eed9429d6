package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.processor.DeadLetters;
import dev.tokenpool.processor.TokenPoolTopology;
import dev.tokenpool.processor.TopologySettings;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record whose processing fails in a way nobody foresaw, on a real broker under exactly-once: it is a dead
 * letter with the failure, nothing of it is applied, no stream thread ends, and the next command of the partition
 * is answered. (A part of the topology that throws on one reply topic stands in for the unknown bug.)
 */
@ExtendWith(KafkaBroker.class)
class FailingRecordIT {
    static final String NAME = "failing-record-it";

    @Test
    void shouldCostOneRecordNeverAThreadOrThePartition() throws Exception {
        Map<String, String> topics = Map.of(
                "TOKENPOOL_COMMANDS_TOPIC",
                NAME + ".commands",
                "TOKENPOOL_DEAD_LETTER_TOPIC",
                NAME + ".dead-letters",
                "TOKENPOOL_PROJECTS_TOPIC",
                NAME + ".projects",
                "TOKENPOOL_REPLY_TOPIC_PREFIX",
                NAME + ".replies.",
                "TOKENPOOL_EVENTS_TOPIC",
                NAME + ".events",
                "TOKENPOOL_AUDIT_TOPIC",
                NAME + ".audit");
        TopologySettings settings = TopologySettings.from(new Env(topics));
        String replies = NAME + ".replies.app";
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            KafkaTopics.createIfMissing(
                    admin,
                    settings.ownTopics().values().stream()
                            .map(topic -> new NewTopic(topic, 1, (short) 1))
                            .toList());
            KafkaTopics.createIfMissing(admin, new NewTopic(replies, 1, (short) 1));
        }
        Map<String, Object> producerConfig =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(
                            NAME + ".projects",
                            "p-1",
                            new String(
                                    TokenPoolSerdes.project()
                                            .serializer()
                                            .serialize("", ProjectRecord.of("p-1", "p", 100)),
                                    StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(
                            NAME + ".commands", "p-1", add("first", NAME + ".replies.boom", "token-0001")))
                    .get();
            producer.send(new ProducerRecord<>(NAME + ".commands", "p-1", add("second", replies, "token-0002")))
                    .get();
        }

        AtomicInteger replaced = new AtomicInteger();
        try (KafkaStreams streams = new KafkaStreams(
                TokenPoolTopology.build(settings, topic -> {
                    if (topic.endsWith(".boom")) {
                        throw new IllegalStateException("boom");
                    }
                    return true;
                }),
                properties())) {
            streams.setUncaughtExceptionHandler(failure -> {
                replaced.incrementAndGet();
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streams.start();

            List<ConsumerRecord<String, byte[]>> dead = TopicReader.readAll(NAME + ".dead-letters", 1);
            assertThat(DeadLetters.reason(dead.getFirst().headers()))
                    .contains("IllegalStateException: boom")
                    .endsWith("nothing was applied");
            JsonNode answered =
                    Json.parse(TopicReader.readAll(replies, 1).getFirst().value());
            assertThat(answered.path("correlationId").asText()).isEqualTo("second");
            assertThat(answered.path("body")
                            .path("summary")
                            .path("currentCount")
                            .asLong())
                    .as("the failed command added nothing")
                    .isEqualTo(1);
            assertThat(replaced).as("no stream thread failed").hasValue(0);
        }
    }

    static String add(String correlationId, String replyTo, String tokenId) {
        return "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"" + correlationId + "\",\"replyTo\":\""
                + replyTo + "\",\"tokenId\":[\"" + tokenId + "\"]}";
    }

    static Properties properties() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, NAME);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, DataDirs.dir(NAME).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }
}
