package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandCodecTest {

    static final List<PoolCommand> EVERY_COMMAND = List.of(
            new PoolCommand.AddTokens(List.of("user001a", "api.key.01")),
            new PoolCommand.DeleteTokens(List.of("user001a")),
            new PoolCommand.DeleteByOrder(5000, Order.DESC),
            new PoolCommand.GetToken("user001a"),
            new PoolCommand.UseToken("user001a"),
            new PoolCommand.ListTokens(null),
            new PoolCommand.ListTokens(new PageKey("user001a", 1_764_000_000_123_456L)),
            new PoolCommand.CountTokens());

    static DecodedCommand decode(String json) {
        return CommandCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripEveryCommand() {
        for (PoolCommand command : EVERY_COMMAND) {
            CommandEnvelope envelope = CommandEnvelope.of("c-1", "replies.app", command);
            assertThat(CommandCodec.decode(CommandCodec.encode(envelope)))
                    .isEqualTo(new DecodedCommand.Accepted(envelope));
        }
    }

    @Test
    void shouldCarryAnIdempotencyKeyAndRefuseOneThatIsNotPrintableAscii() {
        CommandEnvelope keyed = CommandEnvelope.of("c-1", "replies.app", new PoolCommand.UseToken("token-a001"))
                .withIdempotencyKey("order 42 / attempt ~1");
        assertThat(CommandCodec.toJson(keyed).path("idempotencyKey").asText()).isEqualTo("order 42 / attempt ~1");
        assertThat(CommandCodec.decode(CommandCodec.encode(keyed))).isEqualTo(new DecodedCommand.Accepted(keyed));
        for (String key : List.of("\"\"", "\"caf\u00e9\"", "\"tab\\there\"", "7", "\"" + "k".repeat(256) + "\"")) {
            assertThat(decode("{\"version\":1,\"type\":\"use_token\",\"correlationId\":\"c\",\"replyTo\":\"r\","
                            + "\"tokenId\":\"token-a001\",\"idempotencyKey\":" + key + "}"))
                    .as(key)
                    .isInstanceOfSatisfying(
                            DecodedCommand.Refused.class,
                            refused ->
                                    assertThat(refused.error().errorMessage()).contains("idempotencyKey"));
        }
        assertThat(CommandEnvelope.isIdempotencyKey("k".repeat(255))).isTrue();
    }

    @Test
    void shouldWriteOneFlatObjectOnTheWire() {
        String json = new String(
                CommandCodec.encode(
                        CommandEnvelope.of("c-1", "replies.app", new PoolCommand.DeleteByOrder(10, Order.ASC))),
                StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo(
                        "{\"version\":1,\"type\":\"delete_by_order\",\"correlationId\":\"c-1\",\"replyTo\":\"replies.app\",\"count\":10,\"order\":\"asc\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "[1,2]",
                "\"text\"",
                "{\"version\":1}",
                "{\"version\":1,\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"bad topic!\"}",
                "{\"version\":1,\"type\":\"get_token\",\"correlationId\":\"\",\"replyTo\":\"replies\"}",
                "{\"correlationId\":\"c\",\"replyTo\":\"r\",\"correlationId\":\"d\"}",
                "{\"correlationId\":\"c\",\"replyTo\":\"r\"} trailing"
            })
    void shouldFindNoReplyAddressInUnreadableRecords(String json) {
        assertThat(decode(json)).isInstanceOf(DecodedCommand.Unreadable.class);
    }

    @Test
    void shouldRefuseABadCommandWithAReplyAddressWithTheApiError() {
        DecodedCommand unknownType =
                decode("{\"version\":1,\"type\":\"drop_pool\",\"correlationId\":\"c\",\"replyTo\":\"r\"}");
        assertThat(unknownType).isInstanceOfSatisfying(DecodedCommand.Refused.class, refused -> {
            assertThat(refused.replyAddress()).isEqualTo(new ReplyAddress("c", "r"));
            assertThat(refused.error().errorCode()).isEqualTo("invalid_payload");
            assertThat(refused.error().errorMessage()).contains("drop_pool");
        });
        DecodedCommand wrongVersion = decode(
                "{\"version\":2,\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\"}");
        assertThat(wrongVersion)
                .isInstanceOfSatisfying(
                        DecodedCommand.Refused.class,
                        refused -> assertThat(refused.error().errorMessage()).contains("version 2"));
        DecodedCommand badIds = decode(
                "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":[\"x\"]}");
        assertThat(badIds)
                .isInstanceOfSatisfying(
                        DecodedCommand.Refused.class,
                        refused -> assertThat(refused.error().errorCode()).isEqualTo("invalid_token_id_format"));
        DecodedCommand extraField = decode(
                "{\"version\":1,\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\",\"x\":1}");
        assertThat(extraField)
                .isInstanceOfSatisfying(
                        DecodedCommand.Refused.class,
                        refused -> assertThat(refused.error().errorCode()).isEqualTo("invalid_payload"));
    }

    @Test
    void shouldThrowASerializationExceptionForBadCommandRecords() {
        var serde = TokenPoolSerdes.command();
        CommandEnvelope envelope = CommandEnvelope.of("c-9", "replies", new PoolCommand.GetToken("user001a"));
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", envelope)))
                .isEqualTo(envelope);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "nope".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreadable");
    }

    @Test
    void shouldRoundTripResultsAndReadTheBodyBackTyped() {
        var serde = TokenPoolSerdes.result();
        PoolResult result = PoolResult.of(
                new ReplyAddress("c-1", "replies"),
                TokenDetails.of("user001a", "2026-01-01T00:00:00.000Z", false, 2, null));
        PoolResult back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", result));
        assertThat(back).isEqualTo(result);
        assertThat(back.bodyAs(TokenDetails.class))
                .isEqualTo(TokenDetails.of("user001a", "2026-01-01T00:00:00.000Z", false, 2, null));
    }
}
