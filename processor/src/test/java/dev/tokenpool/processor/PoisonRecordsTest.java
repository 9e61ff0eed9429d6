package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenDetails;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing a producer writes to the commands topic stops the topology or is lost. */
class PoisonRecordsTest {
    static final String PROJECT = "project-1";
    PoolHarness pool = new PoolHarness();

    @AfterEach
    void close() {
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"version\":1",
                "[]",
                "{}",
                "{\"correlationId\":\"c\"}",
                "{\"correlationId\":\"c\",\"replyTo\":\"has space\"}"
            })
    void shouldSendARecordWithoutAReplyAddressUntouchedToTheDeadLetterTopicWithTheReason(String value) {
        pool.pipe(PROJECT, value);

        List<TestRecord<String, byte[]>> dead = pool.deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isEqualTo(PROJECT);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(value);
            assertThat(DeadLetters.reason(letter.headers())).isNotBlank();
            assertThat(new String(
                            letter.headers().lastHeader(DeadLetters.SOURCE).value(), StandardCharsets.UTF_8))
                    .startsWith("tokenpool.commands-0@");
        });
        assertThat(pool.replies.isEmpty()).isTrue();
        assertThat(pool.add(PROJECT, "goodtoken1").status())
                .as("the topology still answers")
                .isEqualTo(200);
    }

    @Test
    void shouldDeadLetterANullValueToo() {
        pool.pipe(PROJECT, (byte[]) null);
        assertThat(DeadLetters.reason(pool.deadLetters.readRecord().headers())).isEqualTo("empty record value");
    }

    @Test
    void shouldKeepInvalidBytesAsTheyWere() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b};
        pool.pipe(PROJECT, garbage);
        assertThat(pool.deadLetters.readRecord().value()).isEqualTo(garbage);
    }

    @Test
    void shouldAnswerAnUnknownCommandTypeWithInvalidPayload() {
        pool.pipe(PROJECT, TokenPoolTopologyTest.command("drop_pool", "\"all\":true"));
        PoolResult result = pool.onlyResult();
        assertThat(result.correlationId()).isEqualTo("c-raw");
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
        assertThat(pool.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldAnswerWrongFieldTypesAndUnknownFieldsWithInvalidPayload() {
        pool.pipe(PROJECT, TokenPoolTopologyTest.command("get_token", "\"tokenId\":\"goodtoken1\",\"extra\":1"));
        assertThat(pool.onlyResult().bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
        pool.pipe(
                PROJECT,
                "{\"version\":\"1\",\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"tokenpool.replies.test\",\"tokenId\":\"goodtoken1\"}");
        assertThat(pool.onlyResult().bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void shouldApplyNothingForAMissingReplyTopicAndSendTheCommandToDeadLetters() {
        try (PoolHarness guarded = new PoolHarness(TopologySettings.defaults(), Set.of("other.topic")::contains)) {
            guarded.registerProject(PROJECT, 10);
            guarded.pipe(PROJECT, addCommand("tokenpool.replies.test"));
            assertThat(guarded.replies.isEmpty()).isTrue();
            assertThat(DeadLetters.reason(guarded.deadLetters.readRecord().headers()))
                    .isEqualTo("reply topic 'tokenpool.replies.test' does not exist; nothing was applied");
            assertThat(guarded.poolInOrder(PROJECT)).as("nothing was applied").isEmpty();
        }
    }

    static String addCommand(String replyTo) {
        return "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c-raw\",\"replyTo\":\"" + replyTo
                + "\",\"tokenId\":[\"goodtoken1\"]}";
    }

    /** Every topic a hostile or careless producer could aim a result at, which must never receive one. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "__consumer_offsets",
                "__transaction_state",
                "tokenpool.commands",
                "tokenpool.projects",
                "tokenpool-processor-pool-meta-changelog",
                "tokenpool-processor-pool-tokens-changelog",
                "app-KSTREAM-REPARTITION-0000000001-repartition",
                "my-app.replies",
                "tokenpool.replies."
            })
    void shouldNeverAnswerOnATopicResultsMayNotGoTo(String replyTo) {
        pool.registerProject(PROJECT, 10);
        TestOutputTopic<String, byte[]> target =
                pool.driver.createOutputTopic(replyTo, new StringDeserializer(), new ByteArrayDeserializer());

        pool.pipe(PROJECT, addCommand(replyTo));

        assertThat(target.isEmpty()).as("nothing written to %s", replyTo).isTrue();
        assertThat(pool.replies.isEmpty()).isTrue();
        assertThat(DeadLetters.reason(pool.deadLetters.readRecord().headers()))
                .contains("'" + replyTo + "'")
                .endsWith("nothing was applied");
        assertThat(pool.poolInOrder(PROJECT)).as("nothing was applied").isEmpty();
        assertThat(pool.add(PROJECT, "goodtoken2").status())
                .as("the topology still answers")
                .isEqualTo(200);
    }

    @Test
    void shouldNotAnswerOnTheDeadLetterTopicButDeadLetterTheCommand() {
        pool.registerProject(PROJECT, 10);
        pool.pipe(PROJECT, addCommand("tokenpool.dead-letters"));
        List<TestRecord<String, byte[]>> dead = pool.deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                    .isEqualTo(addCommand("tokenpool.dead-letters"));
            assertThat(DeadLetters.reason(letter.headers())).contains("one of tokenpool's own topics");
        });
        assertThat(pool.poolInOrder(PROJECT)).isEmpty();
    }

    @Test
    void shouldAnswerOnTopicsTheOperatorAllowed() {
        try (PoolHarness allowing =
                new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_REPLY_TOPIC_ALLOW", "my-app\\..+"))))) {
            allowing.registerProject(PROJECT, 10);
            TestOutputTopic<String, PoolResult> mine = allowing.driver.createOutputTopic(
                    "my-app.replies",
                    new StringDeserializer(),
                    TokenPoolSerdes.result().deserializer());
            allowing.pipe(PROJECT, addCommand("my-app.replies"));
            assertThat(mine.readValue().status()).isEqualTo(200);
            allowing.pipe(PROJECT, addCommand("my-app-KSTREAM-changelog-changelog"));
            assertThat(allowing.deadLetters.readRecord())
                    .as("a changelog stays refused")
                    .isNotNull();
        }
    }

    @Test
    void shouldRefuseCommandsOfProjectsTheRegistryDoesNotKnow() {
        pool.pipe("never-created", addCommand(PoolHarness.REPLY_TOPIC));
        PoolResult result = pool.onlyResult();
        assertThat(result.bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_project");
        assertThat(result.bodyAs(ErrorResponse.class).errorMessage()).contains("'never-created'");
        assertThat(pool.poolInOrder("never-created")).isEmpty();
    }

    /** A broad allow pattern still never lets a result reach one of tokenpool's own topics. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "tokenpool.audit",
                "tokenpool.events",
                "tokenpool.dead-letters",
                "tokenpool.projects",
                "tokenpool.commands",
                "tokenpool.webhooks.retry-5s",
                "tokenpool.webhooks.dead-letters"
            })
    void shouldNeverAnswerOnOwnTopicsWhateverThePatternAllows(String replyTo) {
        try (PoolHarness allowing =
                new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_REPLY_TOPIC_ALLOW", ".*"))))) {
            allowing.registerProject(PROJECT, 10);
            allowing.pipe(PROJECT, addCommand(replyTo));
            assertThat(DeadLetters.reason(allowing.deadLetters.readRecord().headers()))
                    .contains("one of tokenpool's own topics");
            assertThat(allowing.poolInOrder(PROJECT)).isEmpty();
        }
    }

    @Test
    void shouldAnswerOnAGatewaysReplyTopic() {
        pool.registerProject(PROJECT, 10);
        TestOutputTopic<String, PoolResult> gateway = pool.driver.createOutputTopic(
                "tokenpool.gateway-replies.gw-1",
                new StringDeserializer(),
                TokenPoolSerdes.result().deserializer());
        pool.pipe(PROJECT, addCommand("tokenpool.gateway-replies.gw-1"));
        assertThat(gateway.readValue().status()).isEqualTo(200);
    }

    @Nested
    class OddTimestamps {
        @ParameterizedTest
        @ValueSource(longs = {-1, -5_000, Long.MIN_VALUE})
        void shouldAnswerACommandWithANegativeTimestampRegisteringAtTheProcessorsTime(long timestamp) {
            pool.registerProject(PROJECT, 10);
            Instant processorTime = pool.clock();
            pool.pipeAt(PROJECT, addCommand(PoolHarness.REPLY_TOPIC), Instant.ofEpochMilli(timestamp));
            assertThat(pool.onlyResult().status()).isEqualTo(200);
            assertThat(updateTime("goodtoken1")).isEqualTo(processorTime);
        }

        @Test
        void shouldRegisterAtTheProcessorsTimeWhenTheRecordIsFarAhead() {
            pool.registerProject(PROJECT, 10);
            Instant processorTime = pool.clock();
            pool.pipeAt(PROJECT, addCommand(PoolHarness.REPLY_TOPIC), Instant.parse("9999-12-31T23:59:59.999Z"));
            assertThat(pool.onlyResult().status()).isEqualTo(200);
            assertThat(updateTime("goodtoken1")).isEqualTo(processorTime);
            pool.add(PROJECT, "goodtoken2");
            Instant registered = pool.clock();
            assertThat(updateTime("goodtoken2"))
                    .as("later registrations keep their own time")
                    .isEqualTo(registered);
        }

        @Test
        void shouldKeepTheRecordsTimeWithinAMinuteAhead() {
            pool.registerProject(PROJECT, 10);
            Instant ahead = pool.clock().plusSeconds(30);
            pool.pipeAt(PROJECT, addCommand(PoolHarness.REPLY_TOPIC), ahead);
            pool.onlyResult();
            assertThat(updateTime("goodtoken1")).isEqualTo(ahead);
        }

        Instant updateTime(String tokenId) {
            return Instant.parse(
                    pool.get(PROJECT, tokenId).bodyAs(TokenDetails.class).data().updateTime());
        }
    }

    @Nested
    class RecordsWhoseProcessingFails {
        final FailedRecords failures = new FailedRecords();
        /** A part of the processor that fails on one reply topic, the way an unknown bug would on one record. */
        final ReplyTopics failingOnOne = topic -> {
            if (topic.endsWith(".boom")) {
                throw new IllegalStateException("boom");
            }
            return true;
        };

        @Test
        void shouldDeadLetterARecordWhoseProcessingFailsAndGoOnWithoutEndingTheThread() {
            try (PoolHarness failing = new PoolHarness(TopologySettings.defaults(), failingOnOne, failures)) {
                failing.registerProject(PROJECT, 10);
                failing.pipe(PROJECT, addCommand("tokenpool.replies.boom"));

                assertThat(DeadLetters.reason(failing.deadLetters.readRecord().headers()))
                        .contains("java.lang.IllegalStateException: boom")
                        .endsWith("nothing was applied");
                assertThat(failing.replies.isEmpty()).isTrue();
                assertThat(failing.poolInOrder(PROJECT)).isEmpty();
                assertThat(failing.add(PROJECT, "goodtoken2").status())
                        .as("the next record is processed")
                        .isEqualTo(200);
            }
        }

        @Test
        void shouldDeadLetterARecordThatFailedBeforeWithoutRunningItAndGoOn() {
            try (PoolHarness failing = new PoolHarness(TopologySettings.defaults(), failingOnOne, failures)) {
                failing.registerProject(PROJECT, 10);
                failing.add(PROJECT, "goodtoken0"); // offset 0
                failures.failed(metadata(1), new IllegalStateException("boom"));

                failing.pipe(PROJECT, addCommand(PoolHarness.REPLY_TOPIC)); // offset 1, read again by a new thread

                assertThat(failing.replies.isEmpty()).isTrue();
                assertThat(DeadLetters.reason(failing.deadLetters.readRecord().headers()))
                        .contains("java.lang.IllegalStateException: boom")
                        .endsWith("nothing was applied");
                assertThat(failing.poolInOrder(PROJECT)).containsExactly("goodtoken0");
                assertThat(failing.add(PROJECT, "goodtoken2").status())
                        .as("the next record is processed")
                        .isEqualTo(200);
            }
        }

        @Test
        void shouldNotRememberFailuresOfKafkaItself() {
            assertThat(FailedRecords.isTheRecords(new org.apache.kafka.streams.errors.StreamsException("store")))
                    .isFalse();
            assertThat(FailedRecords.isTheRecords(new org.apache.kafka.common.KafkaException("broker")))
                    .isFalse();
            assertThat(FailedRecords.isTheRecords(new StackOverflowError())).isTrue();
        }

        @Test
        void shouldForgetTheOldestFailuresBeyondItsBound() {
            for (int offset = 0; offset <= FailedRecords.REMEMBERED; offset++) {
                failures.failed(metadata(offset), new IllegalStateException("boom"));
            }
            assertThat(failures.takeFailure(metadata(0))).isEmpty();
            assertThat(failures.takeFailure(metadata(FailedRecords.REMEMBERED))).isPresent();
        }

        RecordMetadata metadata(long offset) {
            return new RecordMetadata() {
                public String topic() {
                    return "tokenpool.commands";
                }

                public int partition() {
                    return 0;
                }

                public long offset() {
                    return offset;
                }
            };
        }
    }
}
