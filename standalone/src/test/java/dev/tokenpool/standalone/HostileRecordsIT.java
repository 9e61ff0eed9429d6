package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.CommandPartitions;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.standalone.HostileClient.Header;
import dev.tokenpool.standalone.HostileClient.Raw;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that Java's producer cannot make, written with librdkafka to every topic tokenpool reads: each time a
 * witness project is still answered within seconds, no pool changes that should not, no stream thread fails and
 * the gateway's readers stay up.
 */
@ExtendWith(KafkaBroker.class)
class HostileRecordsIT {
    static final String NAME = "hostile-it";
    static final String COMMANDS = NAME + ".commands";
    static final String PROJECTS = NAME + ".projects";
    static final String APP_REPLIES = NAME + ".replies.app";
    static TokenPoolStack stack;
    static String witnessKey;
    static String victimId;
    static String victimKey;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.startOn(
                NAME,
                KafkaBroker.bootstrapServers(),
                Map.of(
                        "TOKENPOOL_WEBHOOK_ALLOW_HTTP", "true",
                        "TOKENPOOL_WEBHOOK_ALLOW_PRIVATE", "true",
                        "TOKENPOOL_WEBHOOK_RETRY_SCHEDULE", "1s,1s,1s"));
        witnessKey = stack.createProject("witness", null).get("apiKey").asText();
        JsonNode victim = stack.createProject("victim", null);
        victimId = victim.get("projectId").asText();
        victimKey = victim.get("apiKey").asText();
        assertThat(stack.tokens("POST", victimKey, "{\"tokenId\":[\"victim-0001\",\"victim-0002\"]}")
                        .status())
                .isEqualTo(200);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            KafkaTopics.createIfMissing(
                    admin, new NewTopic(APP_REPLIES, 1, (short) 1), new NewTopic(NAME + ".placement", 6, (short) 1));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(StreamThreadMetrics.failedThreads(NAME))
                .as("no stream thread failed")
                .isZero();
        stack.close();
    }

    @Test
    void shouldAnswerCommandsWithNegativeTimestampsAtTheProcessorsTime() throws Exception {
        long before = System.currentTimeMillis();
        send(
                Raw.of(COMMANDS, victimId, add("neg-1", "negtime-0001")).at(-1),
                Raw.of(COMMANDS, victimId, add("neg-2", "negtime-0002")).at(-5_000));

        Map<String, JsonNode> results = results("neg-1", "neg-2");
        assertThat(results.values())
                .allSatisfy(result -> assertThat(result.path("status").asInt()).isEqualTo(200));
        for (String tokenId : List.of("negtime-0001", "negtime-0002")) {
            JsonNode token = stack.getToken(victimKey, tokenId).json().path("data");
            assertThat(java.time.Instant.parse(token.path("updateTime").asText())
                            .toEpochMilli())
                    .as("registered when the processor read it")
                    .isBetween(before - 1_000, System.currentTimeMillis());
        }
        stack.tokens("DELETE", victimKey, "{\"tokenId\":[\"negtime-0001\",\"negtime-0002\"]}");
        assertWitnessAnswers();
    }

    @Test
    void shouldRunACommandOfAnyPartitionerOnTheProjectsOnePool() throws Exception {
        int home = CommandPartitions.of(victimId, 2);
        send(
                Raw.of(COMMANDS, victimId, add("part-home", "partition-home-01"))
                        .in(home),
                Raw.of(COMMANDS, victimId, add("part-other", "partition-other-01"))
                        .in(1 - home),
                Raw.of(COMMANDS, victimId, add("part-default", "partition-default-1")));

        assertThat(results("part-home", "part-other", "part-default").values())
                .allSatisfy(result -> assertThat(result.path("status").asInt()).isEqualTo(200));
        for (String tokenId : List.of("partition-home-01", "partition-other-01", "partition-default-1")) {
            assertThat(stack.getToken(victimKey, tokenId).status())
                    .as(tokenId + " seen over HTTP")
                    .isEqualTo(200);
        }
        assertThat(TopicReader.readAll(COMMANDS, 0))
                .as("the command sent elsewhere went to its project's partition")
                .anySatisfy(record -> {
                    assertThat(record.partition()).isEqualTo(home);
                    assertThat(record.headers().lastHeader("tokenpool.forwarded-from"))
                            .isNotNull();
                });
        stack.tokens(
                "DELETE",
                victimKey,
                "{\"tokenId\":[\"partition-home-01\",\"partition-other-01\",\"partition-default-1\"]}");
    }

    /** The partition the processor takes for a project's home is the one Java's producer picks for its ID. */
    @Test
    void shouldPlaceAProjectWhereJavasProducerPutsItsKey() throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String project : List.of("demo", victimId, "p-0123456789ab", "a", "tokenpool.readiness-probe")) {
                int partition = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                NAME + ".placement", project, "{}"))
                        .get()
                        .partition();
                assertThat(CommandPartitions.of(project, 6)).as(project).isEqualTo(partition);
            }
        }
    }

    @Test
    void shouldKeepTheGatewayAnsweringWhateverItsReplyTopicHolds() throws Exception {
        String replies = stack.replyTopic("gw-a");
        double skippedBefore = skipped("replies");
        List<String> unusable = List.of(
                "{\"version\":1,\"status\":200,\"body\":{}}",
                "{\"version\":1,\"correlationId\":null,\"status\":200}",
                "\u0000\u00ff garbage",
                "[".repeat(5_000),
                "");
        send(unusable.stream().map(value -> Raw.of(replies, null, value).at(-1)).toArray(Raw[]::new));
        send(
                new Raw(replies, null, null, null, null, List.of(new Header("h", null))),
                Raw.of(
                        replies,
                        "k",
                        "{\"version\":1,\"correlationId\":\"not-waited-for\",\"status\":0,\"body\":null}"));

        Deadline.await(
                Duration.ofSeconds(10),
                () -> skipped("replies") >= skippedBefore + unusable.size() + 1,
                () -> "the reply reader skipped what it cannot use");
        assertWitnessAnswers();
        assertThat(stack.call(stack.gateway(), "GET", "/health/ready", null).status())
                .isEqualTo(200);
    }

    @Test
    void shouldKeepEveryProjectServedWhateverTheProjectsTopicHolds() throws Exception {
        String witnessId =
                stack.createProject("registry-witness", null).get("projectId").asText();
        send(
                Raw.of(PROJECTS, "kafka-only-1", project("kafka-only-1", 10)),
                Raw.of(PROJECTS, "kafka-only-2", project("kafka-only-2", 10)).at(-7),
                Raw.of(PROJECTS, "garbage", "\u00ff\u00fe{"),
                Raw.of(PROJECTS, "bad id!", project("bad id!", 10)),
                Raw.of(PROJECTS, "kafka-only-3", project("kafka-only-4", 10)),
                Raw.of(
                        PROJECTS,
                        witnessId,
                        "{\"version\":1,\"projectId\":\"" + witnessId + "\",\"poolLimit\":\"many\"}"),
                Raw.of(PROJECTS, "never-there", null),
                Raw.of(PROJECTS, "deep", "{\"a\":".repeat(10_000)));
        // A compacted topic refuses a record without a key, and with it the rest of its batch: sent alone.
        HostileClient.send(KafkaBroker.bootstrapServers(), List.of(Raw.of(PROJECTS, null, project("no-key", 10))));

        send(Raw.of(COMMANDS, "kafka-only-2", add("kafka-only-add", "kafkaonly-0001")));
        assertThat(results("kafka-only-add")
                        .get("kafka-only-add")
                        .path("status")
                        .asInt())
                .as("a project written with a negative timestamp is served")
                .isEqualTo(200);
        assertWitnessAnswers();

        // A project without an API key (reached over Kafka only) can be updated and given a key through the admin API.
        Deadline.await(
                Duration.ofSeconds(10),
                () -> admin("GET", "/admin/projects/kafka-only-1", null).status() == 200,
                () -> "the gateway knows kafka-only-1");
        assertThat(admin("PATCH", "/admin/projects/kafka-only-1", "{\"poolLimit\":20}")
                        .json()
                        .path("poolLimit")
                        .asLong())
                .isEqualTo(20);
        TokenPoolStack.Answer issued = admin("POST", "/admin/projects/kafka-only-1/api-key", null);
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        String newKey = issued.json().path("apiKey").asText();
        stack.awaitApiKey(stack.gateway(), newKey);
        assertThat(stack.tokens("POST", newKey, "{\"tokenId\":[\"kafkaonly-0002\"]}")
                        .status())
                .isEqualTo(200);

        assertThat(admin("GET", "/admin/projects/" + witnessId, null)
                        .json()
                        .path("name")
                        .asText())
                .as("a record the registry cannot read changes nothing")
                .isEqualTo("registry-witness");
        assertThat(skipped("projects")).isGreaterThanOrEqualTo(5);
        assertThat(stack.call(stack.gateway(), "GET", "/health/ready", null).status())
                .isEqualTo(200);
    }

    /**
     * Webhook delivery reads the events topic and its retry topics, which other clients can write to: whatever they
     * hold, a project's events are still delivered — a retry record that claims to be due in a hundred years, at the
     * head of every partition of the retry topic, holds back nothing.
     */
    @Test
    void shouldKeepDeliveringWebhooksWhateverTheEventAndRetryTopicsHold() throws Exception {
        String events = NAME + ".events";
        String retries = NAME + ".webhooks.retry-1s";
        int retryPartitions;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            retryPartitions = KafkaTopics.partitions(admin, retries);
        }
        String farFuture =
                "{\"version\":1,\"projectId\":\"nobody\",\"eventId\":\"evt_x\",\"trigger\":\"token_expired\","
                        + "\"event\":{},\"failedAttempts\":1,\"dueAtMillis\":"
                        + (System.currentTimeMillis() + 100L * 365 * 86_400_000)
                        + ",\"eventAtMillis\":0}";
        List<Raw> hostile = new java.util.ArrayList<>();
        for (int partition = 0; partition < retryPartitions; partition++) {
            hostile.add(Raw.of(retries, "nobody", farFuture).in(partition));
            hostile.add(
                    Raw.of(retries, null, "\u0000\u00ff garbage").in(partition).at(-1));
        }
        hostile.addAll(List.of(
                Raw.of(events, null, "{\"webhook_trigger\":\"token_expired\",\"event_id\":\"evt_1\"}"),
                Raw.of(events, "nobody", "{\"webhook_trigger\":7}").at(-1),
                Raw.of(events, "nobody", "[".repeat(5_000)),
                Raw.of(events, "nobody", "{\"a\":".repeat(10_000)),
                Raw.of(events, "nobody", null),
                Raw.of(retries, "nobody", "{\"version\":1,\"failedAttempts\":-5}")));
        send(hostile.toArray(Raw[]::new));

        try (WebhookReceiver receiver =
                new WebhookReceiver(n -> n == 1 ? new WebhookReceiver.Behaviour.Answer(500) : WebhookReceiver.OK)) {
            JsonNode hooked = stack.createProject("hooked", null);
            String id = hooked.path("projectId").asText();
            String key = hooked.path("apiKey").asText();
            assertThat(admin(
                                    "PATCH",
                                    "/admin/projects/" + id,
                                    "{\"expiration\":{\"maxUses\":1},\"webhook\":{\"url\":\"" + receiver.url("/in")
                                            + "\"}}")
                            .status())
                    .isEqualTo(200);
            assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"hooked-0001\"]}")
                            .status())
                    .isEqualTo(200);
            stack.call(
                    stack.gateway(),
                    "POST",
                    "/v3/submission/tokens/use",
                    "{\"tokenId\":\"hooked-0001\"}",
                    "x-api-key",
                    key,
                    "Content-Type",
                    "application/json");

            Deadline.await(
                    Duration.ofSeconds(20),
                    () -> !receiver.delivered().isEmpty(),
                    () -> "delivered on the second attempt, through the retry topic; tried: " + receiver.requests());
            assertThat(receiver.requests()).hasSize(2);
        }
        String metrics = stack.call(stack.gateway(), "GET", "/metrics", null).text();
        Matcher skipped = Pattern.compile("(?m)^tokenpool_webhook_skipped_records_total\\{topic=\""
                        + Pattern.quote(events) + "\"} (\\S+)$")
                .matcher(metrics);
        assertThat(skipped.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(skipped.group(1))).isGreaterThanOrEqualTo(5);
        assertWitnessAnswers();
    }

    /** The witness registers, reads and deletes a token within seconds, and the victim's pool is as it was. */
    static void assertWitnessAnswers() throws Exception {
        long started = System.nanoTime();
        assertThat(stack.tokens("POST", witnessKey, "{\"tokenId\":[\"witness-0001\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(stack.getToken(witnessKey, "witness-0001").status()).isEqualTo(200);
        assertThat(stack.tokens("DELETE", witnessKey, "{\"tokenId\":[\"witness-0001\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        JsonNode victim = stack.call(stack.gateway(), "GET", "/v3/submission/tokens", null, "x-api-key", victimKey)
                .json();
        assertThat(victim.path("data").findValuesAsText("tokenId")).containsExactly("victim-0001", "victim-0002");
    }

    static void send(Raw... records) throws Exception {
        HostileClient.Outcome outcome = HostileClient.send(KafkaBroker.bootstrapServers(), List.of(records));
        assertThat(outcome.sent())
                .as("records the broker took: %s", outcome.errors())
                .isEqualTo(records.length);
    }

    static String add(String correlationId, String tokenId) {
        return "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"" + correlationId + "\",\"replyTo\":\""
                + APP_REPLIES + "\",\"tokenId\":[\"" + tokenId + "\"]}";
    }

    static String project(String id, long poolLimit) {
        return "{\"version\":1,\"projectId\":\"" + id + "\",\"name\":\"" + id + "\",\"poolLimit\":" + poolLimit + "}";
    }

    /** The results of these commands on the application's reply topic, by correlation ID. */
    static Map<String, JsonNode> results(String... correlationIds) throws Exception {
        Map<String, JsonNode> found = new HashMap<>();
        Deadline.await(
                Duration.ofSeconds(30),
                () -> {
                    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(APP_REPLIES, 0)) {
                        JsonNode result = Json.parse(record.value());
                        found.put(result.path("correlationId").asText(), result);
                    }
                    return found.keySet().containsAll(List.of(correlationIds));
                },
                () -> "results of " + List.of(correlationIds) + " on " + APP_REPLIES);
        found.keySet().retainAll(List.of(correlationIds));
        return found;
    }

    static TokenPoolStack.Answer admin(String method, String path, String body) throws Exception {
        return stack.call(
                stack.gateway(),
                method,
                path,
                body,
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY,
                "Content-Type",
                "application/json");
    }

    static double skipped(String loop) throws Exception {
        String metrics = stack.call(stack.gateway(), "GET", "/metrics", null).text();
        Matcher value = Pattern.compile("(?m)^tokenpool_gateway_skipped_records_total\\{loop=\"" + loop + "\"} (\\S+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
