package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of hostile or broken record on the real commands topic: afterwards no store changed
 * (no changelog or registry record was written), the pool is as it was, and HTTP and Kafka clients
 * are still answered.
 */
@ExtendWith(KafkaBroker.class)
class PoisonRecordsIT {
    static final String NAME = "poison-it";

    @Test
    void shouldChangeNothingAndStopNothing() throws Exception {
        try (TokenPoolStack stack = TokenPoolStack.start(NAME);
                Admin admin = Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaBroker.bootstrapServers(),
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                2_000_000),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            var project = stack.createProject("poisoned", null);
            String projectId = project.get("projectId").asText();
            String apiKey = project.get("apiKey").asText();
            assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"before-001\",\"before-002\"]}")
                            .status())
                    .isEqualTo(200);
            String appReplies = NAME + ".replies.app";
            KafkaTopics.createIfMissing(admin, new NewTopic(appReplies, 1, (short) 1));
            Map<TopicPartition, Long> before = endOffsets(admin, stateTopics());
            int deadLettersBefore =
                    TopicReader.readAll(NAME + ".dead-letters", 0).size();

            List<byte[]> deadOnes = new ArrayList<>();
            deadOnes.add("{not json".getBytes(StandardCharsets.UTF_8));
            deadOnes.add(null);
            deadOnes.add(("{\"correlationId\":\"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8));
            for (String replyTo : List.of(
                    "__consumer_offsets",
                    "__transaction_state",
                    NAME + ".commands",
                    NAME + ".projects",
                    NAME + ".dead-letters",
                    NAME + "-pool-meta-changelog",
                    NAME + "-pool-tokens-changelog",
                    NAME + "-pool-order-changelog",
                    NAME + ".replies.does-not-exist",
                    "elsewhere.replies")) {
                deadOnes.add(add(replyTo, "poison-" + Math.abs(replyTo.hashCode() % 100000)));
            }
            for (byte[] value : deadOnes) {
                producer.send(new ProducerRecord<>(NAME + ".commands", projectId, value))
                        .get();
            }
            List<String> answered = List.of(
                    "{\"version\":2,\"type\":\"add_tokens\",\"correlationId\":\"wrong-version\",\"replyTo\":\""
                            + appReplies + "\",\"tokenId\":[\"poison-v2-01\"]}",
                    "{\"version\":1,\"type\":\"drop_pool\",\"correlationId\":\"unknown-type\",\"replyTo\":\""
                            + appReplies + "\"}",
                    "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"null-ids\",\"replyTo\":\"" + appReplies
                            + "\",\"tokenId\":null}");
            for (String value : answered) {
                producer.send(new ProducerRecord<>(
                                NAME + ".commands", projectId, value.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            producer.send(new ProducerRecord<>(
                            NAME + ".commands",
                            "never-registered",
                            new String(add(appReplies, "poison-unregistered"), StandardCharsets.UTF_8)
                                    .replace("c-poison", "unregistered")
                                    .getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(
                            NAME + ".commands",
                            null,
                            new String(add(appReplies, "poison-no-key"), StandardCharsets.UTF_8)
                                    .replace("c-poison", "no-key")
                                    .getBytes(StandardCharsets.UTF_8)))
                    .get();

            // Every record was handled: the dead ones on the dead-letter topic, the others answered.
            TopicReader.readAll(NAME + ".dead-letters", deadLettersBefore + deadOnes.size());
            Map<String, String> codes = new HashMap<>();
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> {
                        for (var record : TopicReader.readAll(appReplies, 0)) {
                            var result = Json.parse(record.value());
                            codes.put(
                                    result.path("correlationId").asText(),
                                    result.path("body").path("errorCode").asText());
                        }
                        return codes.size() >= 5;
                    },
                    () -> "answers on " + appReplies + ": " + codes);
            assertThat(codes)
                    .containsEntry("wrong-version", "invalid_payload")
                    .containsEntry("unknown-type", "invalid_payload")
                    .containsEntry("null-ids", "invalid_token_id")
                    .containsEntry("unregistered", "invalid_project")
                    .containsEntry("no-key", "invalid_project");

            assertThat(endOffsets(admin, stateTopics()))
                    .as("no changelog or registry record written")
                    .isEqualTo(before);
            assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"before-001\"]}")
                            .json()
                            .path("summary")
                            .path("currentCount")
                            .asLong())
                    .as("the pool still holds its two tokens, and HTTP is answered")
                    .isEqualTo(2);
            assertThat(stack.getToken(apiKey, "poison-v2-01").errorCode()).isEqualTo("token_id_not_found");
            assertThat(stack.getToken(apiKey, "poison-" + Math.abs((NAME + ".commands").hashCode() % 100000))
                            .errorCode())
                    .isEqualTo("token_id_not_found");
            assertThat(TopicReader.readAll(NAME + ".commands", 0))
                    .as("no result was written back to the commands topic")
                    .allSatisfy(record -> assertThat(record.value() == null
                                    || !new String(record.value(), StandardCharsets.UTF_8).contains("\"status\""))
                            .isTrue());
        }
    }

    private static byte[] add(String replyTo, String tokenId) {
        return ("{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c-poison\",\"replyTo\":\"" + replyTo
                        + "\",\"tokenId\":[\"" + tokenId + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> stateTopics() {
        return List.of(
                NAME + "-pool-tokens-changelog",
                NAME + "-pool-order-changelog",
                NAME + "-pool-meta-changelog",
                NAME + ".projects");
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .forEach((topic, description) -> description
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
