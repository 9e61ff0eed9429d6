package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.PoolResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
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
    @ValueSource(strings = {"", "not json", "{\"version\":1", "[]", "{}", "{\"correlationId\":\"c\"}",
            "{\"correlationId\":\"c\",\"replyTo\":\"has space\"}"})
    void aRecordWithoutAReplyAddressGoesToTheDeadLetterTopicUntouchedWithTheReason(String value) {
        pool.pipe(PROJECT, value);

        List<TestRecord<String, byte[]>> dead = pool.deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isEqualTo(PROJECT);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(value);
            assertThat(DeadLetters.reason(letter.headers())).isNotBlank();
            assertThat(new String(letter.headers().lastHeader(DeadLetters.SOURCE).value(), StandardCharsets.UTF_8))
                    .startsWith("tokenpool.commands-0@");
        });
        assertThat(pool.replies.isEmpty()).isTrue();
        assertThat(pool.add(PROJECT, "goodtoken1").status()).as("the topology still answers").isEqualTo(200);
    }

    @Test
    void aNullValueIsADeadLetterToo() {
        pool.pipe(PROJECT, (byte[]) null);
        assertThat(DeadLetters.reason(pool.deadLetters.readRecord().headers())).isEqualTo("empty record value");
    }

    @Test
    void invalidBytesAreKeptAsTheyWere() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b};
        pool.pipe(PROJECT, garbage);
        assertThat(pool.deadLetters.readRecord().value()).isEqualTo(garbage);
    }

    @Test
    void anUnknownCommandTypeIsAnsweredWithInvalidPayload() {
        pool.pipe(PROJECT, TokenPoolTopologyTest.command("drop_pool", "\"all\":true"));
        PoolResult result = pool.onlyResult();
        assertThat(result.correlationId()).isEqualTo("c-raw");
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
        assertThat(pool.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void wrongFieldTypesAndUnknownFieldsAreAnsweredWithInvalidPayload() {
        pool.pipe(PROJECT, TokenPoolTopologyTest.command("get_token", "\"tokenId\":\"goodtoken1\",\"extra\":1"));
        assertThat(pool.onlyResult().bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
        pool.pipe(PROJECT, "{\"version\":\"1\",\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"tokenpool.replies.test\",\"tokenId\":\"goodtoken1\"}");
        assertThat(pool.onlyResult().bodyAs(ErrorResponse.class).errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void aResultForAMissingReplyTopicGoesToTheDeadLetterTopic() {
        try (PoolHarness guarded = new PoolHarness(TopologySettings.defaults(), Set.of("other.topic")::contains)) {
            guarded.pipe(PROJECT, TokenPoolTopologyTest.command("get_token", "\"tokenId\":\"goodtoken1\""));
            assertThat(guarded.replies.isEmpty()).isTrue();
            assertThat(DeadLetters.reason(guarded.deadLetters.readRecord().headers()))
                    .contains("reply topic 'tokenpool.replies.test' does not exist");
        }
    }
}
