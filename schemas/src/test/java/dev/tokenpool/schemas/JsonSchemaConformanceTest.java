package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schemas under resources/schemas describe exactly what the Java types write. */
class JsonSchemaConformanceTest {
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(Dialects.getDraft202012());
    static final ReplyAddress TO = new ReplyAddress("c-1", "tokenpool.replies.gw-1");

    static Schema schema(String name) throws Exception {
        try (InputStream in = JsonSchemaConformanceTest.class.getResourceAsStream("/schemas/" + name)) {
            return REGISTRY.getSchema(Json.MAPPER.readTree(in));
        }
    }

    static List<?> errors(Schema schema, byte[] json) throws Exception {
        return schema.validate(Json.parse(json));
    }

    @Test
    void shouldWriteEveryCommandAsTheCommandSchemaSays() throws Exception {
        Schema schema = schema("command.schema.json");
        for (PoolCommand command : CommandCodecTest.EVERY_COMMAND) {
            assertThat(errors(schema, CommandCodec.encode(CommandEnvelope.of("c-1", "replies", command))))
                    .as(command.type())
                    .isEmpty();
            assertThat(errors(
                            schema,
                            CommandCodec.encode(CommandEnvelope.of("c-1", "replies", command)
                                    .withActor("app-1")
                                    .withIdempotencyKey("retry me ~ 7"))))
                    .as(command.type() + " with an actor and an idempotency key")
                    .isEmpty();
        }
    }

    @Test
    void shouldRejectInTheCommandSchemaWhatTheProcessorRefuses() throws Exception {
        Schema schema = schema("command.schema.json");
        for (String bad : List.of(
                "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":[\"short\"]}",
                "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":[]}",
                "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":[\"goodtoken1\"],\"x\":1}",
                "{\"version\":1,\"type\":\"delete_by_order\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"count\":5001,\"order\":\"asc\"}",
                "{\"version\":1,\"type\":\"delete_by_order\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"count\":1,\"order\":\"up\"}",
                "{\"version\":2,\"type\":\"get_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\"}",
                "{\"version\":1,\"type\":\"get_token\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\"}",
                "{\"version\":1,\"type\":\"use_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\",\"idempotencyKey\":\"\"}",
                "{\"version\":1,\"type\":\"use_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\",\"idempotencyKey\":\"caf\u00e9\"}",
                "{\"version\":1,\"type\":\"use_token\",\"correlationId\":\"c\",\"replyTo\":\"r\",\"tokenId\":\"goodtoken1\",\"idempotencyKey\":7}")) {
            assertThat(errors(schema, bad.getBytes())).as(bad).isNotEmpty();
            assertThat(CommandCodec.decode(bad.getBytes())).as(bad).isNotInstanceOf(DecodedCommand.Accepted.class);
        }
    }

    @Test
    void shouldWriteEveryResultBodyAsTheResultSchemaSays() throws Exception {
        Schema schema = schema("result.schema.json");
        List<PoolResult> results = List.of(
                PoolResult.of(TO, AddTokensResponse.of(4, 3504, List.of())),
                PoolResult.of(
                        TO,
                        AddTokensResponse.of(
                                4,
                                3504,
                                List.of(new FailedToken("token-123-abc", "Process_failed", "Write operation failed")))),
                PoolResult.of(TO, DeleteTokensResponse.of(3, 3, List.of(), List.of())),
                PoolResult.of(
                        TO,
                        DeleteTokensResponse.of(
                                3,
                                1,
                                List.of("nonexistent1"),
                                List.of(new FailedToken(
                                        "problematic-token", "Delete_failed", "Delete operation failed")))),
                PoolResult.of(TO, DeleteByOrderResponse.of(10)),
                PoolResult.of(TO, TokenDetails.of("user001a", "2026-11-24T06:00:00.000Z", false, 0, null)),
                PoolResult.of(
                        TO,
                        TokenDetails.of("user001a", "2026-11-24T06:00:00.000Z", true, 1, "2026-11-25T06:00:00.000Z")),
                PoolResult.of(
                        TO,
                        TokenList.of(
                                2,
                                List.of(new TokenList.Entry("user001a", "2026-11-24T06:00:00.000Z", false)),
                                new PageKey("user002b", 1_764_000_000_123_456L))),
                PoolResult.of(TO, TokenList.of(0, List.of(), null)),
                PoolResult.of(TO, TokenCount.of(42)),
                PoolResult.of(TO, ErrorCode.TOKEN_EXPIRED.response()),
                PoolResult.of(TO, ErrorCode.TOKEN_ID_NOT_FOUND.response()),
                PoolResult.of(TO, ErrorCode.IDEMPOTENCY_KEY_REUSED.response()),
                PoolResult.retryLater(TO, ErrorCode.IDEMPOTENCY_KEY_LIMIT_EXCEEDED.response(), 30),
                PoolResult.replay(TO, 200, Json.tree(DeleteByOrderResponse.of(10))),
                PoolResult.of(
                        TO,
                        ErrorResponse.invalidTokenFormat(List.of(InvalidToken.of(
                                Json.MAPPER.getNodeFactory().textNode("short01"),
                                ErrorCode.INVALID_TOKEN_ID_LENGTH)))));
        for (PoolResult result : results) {
            assertThat(errors(schema, Json.write(result)))
                    .as(result.body().toString())
                    .isEmpty();
        }
        JsonNode wrong = Json.tree(PoolResult.of(TO, DeleteByOrderResponse.of(10)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) wrong.get("body")).put("extra", true);
        assertThat(schema.validate(wrong)).isNotEmpty();
    }

    /** A value as a client reads it off the wire. */
    static JsonNode wire(Object value) throws Exception {
        return Json.parse(Json.write(value));
    }

    @Test
    void shouldWriteTheSpecExamplesFromTheResponseTypes() throws Exception {
        assertThat(wire(AddTokensResponse.of(4, 3504, List.of()))).isEqualTo(Json.parse("""
                {"success": true, "message": "All tokens are now in the pool",
                 "summary": {"totalSubmitted": 4, "currentCount": 3504, "processed": 4, "failed": 0}}""".getBytes()));
        assertThat(wire(DeleteTokensResponse.of(
                        3,
                        1,
                        List.of("nonexistent1"),
                        List.of(new FailedToken("problematic-token", "Delete_failed", "Delete operation failed")))))
                .isEqualTo(Json.parse("""
                {"success": false, "message": "Successfully deleted 1 tokens",
                 "summary": {"totalSubmitted": 3, "deleted": 1, "notFound": 1, "failed": 1},
                 "details": {"notFound": ["nonexistent1"],
                             "failed": [{"tokenId": "problematic-token", "error": "Delete_failed", "message": "Delete operation failed"}]}}
                """.getBytes()));
        assertThat(wire(DeleteByOrderResponse.of(10))).isEqualTo(Json.parse("""
                {"success": true, "message": "Successfully deleted 10 tokens", "summary": {"deleted": 10, "failed": 0}}
                """.getBytes()));
        assertThat(wire(ErrorResponse.invalidTokenFormat(List.of(InvalidToken.of(
                        Json.MAPPER.getNodeFactory().textNode("short01"), ErrorCode.INVALID_TOKEN_ID_LENGTH)))))
                .isEqualTo(Json.parse("""
                {"errorCode": "invalid_token_id_format",
                 "errorMessage": "One or more token IDs do not meet the required format specifications.",
                 "errorDetails": {"invalidTokens": [{"tokenId": "short01", "errorCode": "invalid_token_id_length",
                   "errorMessage": "Token ID length must be between 8 and 64 characters. Please adjust the token length."}]}}
                """.getBytes()));
    }

    @Test
    void shouldWriteEveryEventAndAuditRecordAsItsSchemaSays() throws Exception {
        Schema events = schema("event.schema.json");
        assertThat(errors(events, Json.write(TokenExpiredEvent.byCount("user001a", 1_764_000_000_000L))))
                .isEmpty();
        assertThat(errors(events, Json.write(TokenExpiredEvent.byTime("user001a", 1_764_000_000_000L))))
                .isEmpty();
        assertThat(errors(events, Json.write(TokenReuseAttemptedEvent.of("user001a", true, 1_764_000_000_000L))))
                .isEmpty();
        TokenExpiredEvent example = TokenExpiredEvent.byCount("tok_abc123def456", 1_762_914_193_588L);
        assertThat(Json.tree(example).toString())
                .as("the reference's example, field for field, and the event's ID")
                .isEqualTo(
                        "{\"webhook_trigger\":\"token_expired\",\"token_id\":\"tok_abc123def456\",\"expired_condition\":\"count\","
                                + "\"expired_at\":\"2025-11-12T02:23:13.588Z\",\"service\":\"tokenpool\",\"event_id\":\""
                                + example.eventId() + "\"}");
        assertThat(TokenPoolSerdes.event().deserializer().deserialize("t", Json.write(example)))
                .as("read back as the kind it is")
                .isEqualTo(example);
        assertThat(errors(
                        events,
                        ("{\"webhook_trigger\":\"token_expired\",\"token_id\":\"a\",\"expired_condition\":\"count\",\"service\":\"tokenpool\","
                                        + "\"event_id\":\"evt_00000000000000000000000000000000\"}")
                                .getBytes()))
                .as("count without expired_at")
                .isNotEmpty();

        Schema audit = schema("audit.schema.json");
        AuditRecord record = new AuditRecord(
                AuditRecord.VERSION,
                "2026-11-25T00:00:00.000Z",
                "p-1",
                "add_tokens",
                "api-key:0123456789ab",
                200,
                java.util.Map.of("submitted", 2L, "processed", 2L, "currentCount", 9L),
                "c-1");
        assertThat(errors(audit, Json.write(record))).isEmpty();
        JsonNode withTokenId = Json.tree(record);
        ((com.fasterxml.jackson.databind.node.ObjectNode) withTokenId).put("tokenId", "user001a");
        assertThat(audit.validate(withTokenId)).as("no room for a token ID").isNotEmpty();
    }
}
