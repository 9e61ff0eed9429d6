package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deleted token ID leaves the changelogs and the reply topics within the configured bound (shortened here to
 * 4 s, on a broker whose log cleaner and retention check look for work every 200 ms), and the topics tokenpool
 * creates that hold token IDs keep records only that long.
 */
class SecureDeletionIT {
    static final Duration BOUND = Duration.ofSeconds(4);
    static EmbeddedKafka broker;
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafka.start(
                DataDirs.dir("tokenpool-deletion-kafka"),
                KafkaBroker.freePort(),
                KafkaBroker.freePort(),
                Map.of(
                        "log.cleaner.backoff.ms",
                        "200",
                        "log.segment.delete.delay.ms",
                        "0",
                        "log.cleaner.dedupe.buffer.size",
                        "4194304",
                        "log.retention.check.interval.ms",
                        "200"));
        stack = TokenPoolStack.startOn(
                "deletion-it",
                broker.bootstrapServers(),
                Map.of(
                        "TOKENPOOL_DELETED_DATA_RETENTION_MS",
                        Long.toString(BOUND.toMillis()),
                        "TOKENPOOL_COMMAND_PARTITIONS",
                        "1"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldLeaveNoTraceOfADeletedTokenInTheChangelogsAfterTheBound() throws Exception {
        String key = stack.createProject("forgetful", null).path("apiKey").asText();
        String secret = "forget-me-0001";
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"" + secret + "\",\"keep-me-0001\"]}")
                        .status())
                .isEqualTo(200);
        List<String> changelogs = List.of(stack.name + "-pool-tokens-changelog", stack.name + "-pool-order-changelog");
        assertThat(occurrences(changelogs, secret))
                .as("registered: in the changelogs")
                .isPositive();
        assertThat(stack.tokens("DELETE", key, "{\"tokenId\":[\"" + secret + "\"]}")
                        .status())
                .isEqualTo(200);

        awaitGone(key, secret, changelogs);
        assertThat(occurrences(changelogs, "keep-me-0001"))
                .as("what stays, stays")
                .isPositive();
        assertThat(stack.getToken(key, "keep-me-0001").status()).isEqualTo(200);
    }

    @Test
    void shouldLeaveNoTraceOfADeletedTokenInTheGatewaysReplyTopicAfterTheBound() throws Exception {
        String key = stack.createProject("answered", null).path("apiKey").asText();
        String secret = "answered-0001";
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"" + secret + "\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(stack.getToken(key, secret).status()).isEqualTo(200);
        List<String> replies = List.of(stack.replyTopic("gw-a"));
        assertThat(occurrences(replies, secret)).as("a result that named it").isPositive();
        assertThat(stack.tokens("DELETE", key, "{\"tokenId\":[\"" + secret + "\"]}")
                        .status())
                .isEqualTo(200);

        awaitGone(key, secret, replies);
    }

    @Test
    void shouldKeepRepliesNoLongerThanTheBound() throws Exception {
        String cliReplies = stack.name + ".replies.cli";
        SendCommand.send(
                KafkaConnection.to(broker.bootstrapServers()),
                stack.name + ".commands",
                BOUND,
                "no-such-project",
                "{\"type\": \"count_tokens\", \"replyTo\": \"" + cliReplies + "\"}",
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            for (String topic : List.of(stack.replyTopic("gw-a"), cliReplies)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);
                long retention = Long.parseLong(config.get("retention.ms").value());
                assertThat(retention).as(topic).isLessThanOrEqualTo(BOUND.toMillis());
                assertThat(Long.parseLong(config.get("segment.ms").value()))
                        .as(topic)
                        .isLessThanOrEqualTo(retention);
            }
        }
    }

    @Test
    void shouldBoundTheRetentionOfTopicsThatHoldTokenIds() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            for (String topic :
                    List.of(stack.name + ".commands", stack.name + ".dead-letters", stack.name + ".events")) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get("retention.ms").value()).as(topic).isEqualTo(Long.toString(BOUND.toMillis()));
            }
            ConfigResource changelog =
                    new ConfigResource(ConfigResource.Type.TOPIC, stack.name + "-pool-tokens-changelog");
            Config config =
                    admin.describeConfigs(List.of(changelog)).all().get().get(changelog);
            assertThat(config.get("max.compaction.lag.ms").value()).isEqualTo(Long.toString(BOUND.toMillis() / 2));
            assertThat(config.get("delete.retention.ms").value()).isEqualTo(Long.toString(BOUND.toMillis() / 2));
        }
    }

    /** How many records of the topics hold {@code text} in their key or value, aborted ones included. */
    /** Segments roll only when records arrive: keeps the pool busy, as any live pool is, until {@code secret} is gone. */
    private static void awaitGone(String key, String secret, List<String> topics) throws Exception {
        int[] n = {0};
        Deadline.await(
                BOUND.multipliedBy(10),
                () -> {
                    stack.tokens("POST", key, "{\"tokenId\":[\"filler-%06d\"]}".formatted(n[0]++));
                    return occurrences(topics, secret) == 0;
                },
                () -> "the deleted token ID is gone from " + topics);
    }

    static int occurrences(List<String> topics, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        int found = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_uncommitted"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (contains(record.key(), needle) || contains(record.value(), needle)) {
                        found++;
                    }
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return Arrays.equals(haystack, needle);
    }
}
