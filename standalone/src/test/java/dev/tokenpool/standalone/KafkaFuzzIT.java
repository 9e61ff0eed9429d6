package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.standalone.HostileClient.Raw;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of random and mutated records, written with librdkafka to the commands topic, the projects topic and
 * a gateway's reply topic: random timestamps (negative, zero, year 9999), headers, keys (null, empty, 1 MB,
 * bytes), values (empty, deep nesting, invalid UTF-8, wrong types, truncated or broken commands). Afterwards every
 * project answers, every protected pool is as it was, no stream thread failed and the gateway is ready. More:
 * {@code -Dfuzz.kafka.records=20000 -Dfuzz.kafka.seed=…}.
 */
@ExtendWith(KafkaBroker.class)
class KafkaFuzzIT {
    static final String NAME = "kafka-fuzz-it";

    @Test
    void shouldStayUpAndChangeNoProtectedPool() throws Exception {
        int records = Integer.getInteger("fuzz.kafka.records", 3_000);
        long seed = Long.getLong("fuzz.kafka.seed", 20_261_207L);
        String appReplies = NAME + ".replies.app";
        try (TokenPoolStack stack = TokenPoolStack.start(NAME);
                Admin admin = Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            KafkaTopics.createIfMissing(admin, new NewTopic(appReplies, 1, (short) 1));
            JsonNode victim = stack.createProject("victim", null);
            String victimId = victim.get("projectId").asText();
            String victimKey = victim.get("apiKey").asText();
            List<String> tokens = List.of("victim-0001", "victim-0002", "victim-0003");
            assertThat(stack.tokens("POST", victimKey, "{\"tokenId\":" + Json.MAPPER.writeValueAsString(tokens) + "}")
                            .status())
                    .isEqualTo(200);

            HostileClient.Outcome outcome = HostileClient.fuzz(
                    KafkaBroker.bootstrapServers(),
                    seed,
                    records,
                    NAME + ".commands",
                    NAME + ".projects",
                    stack.replyTopic("gw-a"),
                    appReplies,
                    List.of(victimId));
            assertThat(outcome.sent())
                    .as("the broker took most of them: %s", outcome.errors())
                    .isGreaterThan(records / 2);

            // A marker after the fuzz in each partition: once both are answered, every fuzzed command was processed.
            String markerProject =
                    stack.createProject("marker", null).get("projectId").asText();
            HostileClient.send(
                    KafkaBroker.bootstrapServers(),
                    List.of(
                            Raw.of(NAME + ".commands", markerProject, count("marker-0", appReplies))
                                    .in(0),
                            Raw.of(NAME + ".commands", markerProject, count("marker-1", appReplies))
                                    .in(1)));
            Set<String> answered = new HashSet<>();
            Deadline.await(
                    Duration.ofSeconds(60),
                    () -> {
                        TopicReader.readAll(appReplies, 0).forEach(record -> {
                            try {
                                answered.add(Json.parse(record.value())
                                        .path("correlationId")
                                        .asText());
                            } catch (java.io.IOException e) {
                                throw new AssertionError("a result tokenpool wrote is not JSON", e);
                            }
                        });
                        return answered.containsAll(List.of("marker-0", "marker-1"));
                    },
                    () -> "both markers answered");

            JsonNode pool = stack.call(stack.gateway(), "GET", "/v3/submission/tokens", null, "x-api-key", victimKey)
                    .json();
            assertThat(pool.path("data").findValuesAsText("tokenId"))
                    .as("the protected pool")
                    .containsExactlyElementsOf(tokens);
            assertThat(pool.path("count").asLong()).isEqualTo(tokens.size());
            String witnessKey =
                    stack.createProject("witness", null).get("apiKey").asText();
            assertThat(stack.tokens("POST", witnessKey, "{\"tokenId\":[\"witness-0001\"]}")
                            .status())
                    .isEqualTo(200);
            assertThat(stack.getToken(witnessKey, "witness-0001").status()).isEqualTo(200);
            assertThat(stack.call(stack.gateway(), "GET", "/health/ready", null).status())
                    .isEqualTo(200);
            assertThat(StreamThreadMetrics.failedThreads(NAME))
                    .as("no stream thread failed")
                    .isZero();
        }
    }

    static String count(String correlationId, String replyTo) {
        return "{\"version\":1,\"type\":\"count_tokens\",\"correlationId\":\"" + correlationId + "\",\"replyTo\":\""
                + replyTo + "\"}";
    }
}
