package dev.tokenpool.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads and writes command records. On the wire a command is one flat JSON object:
 * <pre>{"version":1,"type":"add_tokens","correlationId":"…","replyTo":"topic","tokenId":["…"]}</pre>
 * Besides the envelope fields it carries exactly the fields of the HTTP request body, checked by
 * {@link RequestRules}. Decoding never throws: every input ends as one {@link DecodedCommand}.
 */
public final class CommandCodec {
    static final String VERSION = "version";
    static final String TYPE = "type";
    static final String CORRELATION_ID = "correlationId";
    static final String REPLY_TO = "replyTo";
    static final String ACTOR = "actor";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";

    private CommandCodec() {}

    public static byte[] encode(CommandEnvelope envelope) {
        return Json.write(toJson(envelope));
    }

    public static ObjectNode toJson(CommandEnvelope envelope) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put(VERSION, envelope.version());
        json.put(TYPE, envelope.command().type());
        json.put(CORRELATION_ID, envelope.correlationId());
        json.put(REPLY_TO, envelope.replyTo());
        if (envelope.actor() != null) {
            json.put(ACTOR, envelope.actor());
        }
        if (envelope.idempotencyKey() != null) {
            json.put(IDEMPOTENCY_KEY, envelope.idempotencyKey());
        }
        putFields(envelope.command(), json);
        return json;
    }

    /**
     * What a command asks, without who asks or where the answer goes: its type and fields, always written the
     * same way, so two commands that ask the same thing have the same content (an idempotency key's fingerprint).
     */
    public static byte[] content(PoolCommand command) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put(TYPE, command.type());
        putFields(command, json);
        return Json.write(json);
    }

    private static void putFields(PoolCommand command, ObjectNode json) {
        switch (command) {
            case PoolCommand.AddTokens add -> json.set(RequestRules.TOKEN_ID, Json.tree(add.tokenIds()));
            case PoolCommand.DeleteTokens delete -> json.set(RequestRules.TOKEN_ID, Json.tree(delete.tokenIds()));
            case PoolCommand.DeleteByOrder delete -> {
                json.put(RequestRules.COUNT, delete.count());
                json.put(RequestRules.ORDER, delete.order().wire());
            }
            case PoolCommand.GetToken get -> json.put(RequestRules.TOKEN_ID, get.tokenId());
            case PoolCommand.UseToken use -> json.put(RequestRules.TOKEN_ID, use.tokenId());
            case PoolCommand.ListTokens list -> {
                if (list.from() != null) {
                    json.put(RequestRules.NEXT_PAGE_KEY_ID, list.from().tokenId());
                    json.put(RequestRules.NEXT_PAGE_KEY_TIME, list.from().time());
                }
            }
            case PoolCommand.CountTokens count -> {}
        }
    }

    public static DecodedCommand decode(byte[] value) {
        if (value == null || value.length == 0) {
            return new DecodedCommand.Unreadable("empty record value");
        }
        JsonNode json;
        try {
            json = Json.parse(value);
        } catch (IOException e) {
            return new DecodedCommand.Unreadable("value is not valid JSON: " + Json.describe(e));
        }
        if (!(json instanceof ObjectNode object)) {
            return new DecodedCommand.Unreadable("value is not a JSON object");
        }
        String correlationId = text(object, CORRELATION_ID);
        String replyTo = text(object, REPLY_TO);
        if (!CommandEnvelope.isCorrelationId(correlationId)) {
            return new DecodedCommand.Unreadable("correlationId is missing or not a string of 1 to 128 characters");
        }
        if (!CommandEnvelope.isTopicName(replyTo)) {
            return new DecodedCommand.Unreadable("replyTo is missing or not a legal Kafka topic name");
        }
        ReplyAddress replyAddress = new ReplyAddress(correlationId, replyTo);

        JsonNode version = object.get(VERSION);
        if (version == null || !version.isIntegralNumber() || version.asLong() != CommandEnvelope.VERSION) {
            return new DecodedCommand.Refused(
                    replyAddress,
                    ErrorCode.INVALID_PAYLOAD.response("Unsupported command version " + version
                            + "; this processor reads version " + CommandEnvelope.VERSION + "."));
        }
        JsonNode actor = object.get(ACTOR);
        if (actor != null && (!actor.isTextual() || !CommandEnvelope.isActor(actor.textValue()))) {
            return new DecodedCommand.Refused(
                    replyAddress, ErrorCode.INVALID_PAYLOAD.response("actor must be a string of 1 to 128 characters."));
        }
        JsonNode idempotencyKey = object.get(IDEMPOTENCY_KEY);
        if (idempotencyKey != null
                && (!idempotencyKey.isTextual() || !CommandEnvelope.isIdempotencyKey(idempotencyKey.textValue()))) {
            return new DecodedCommand.Refused(
                    replyAddress,
                    ErrorCode.INVALID_PAYLOAD.response(
                            "idempotencyKey must be a string of 1 to 255 printable ASCII characters."));
        }
        ObjectNode fields = object.deepCopy();
        fields.remove(java.util.List.of(VERSION, TYPE, CORRELATION_ID, REPLY_TO, ACTOR, IDEMPOTENCY_KEY));
        String type = text(object, TYPE);
        Validation<PoolCommand> command = switch (type == null ? "" : type) {
            case PoolCommand.AddTokens.TYPE -> RequestRules.addTokens(fields);
            case PoolCommand.DeleteTokens.TYPE -> RequestRules.deleteTokens(fields);
            case PoolCommand.DeleteByOrder.TYPE -> RequestRules.deleteByOrder(fields);
            case PoolCommand.GetToken.TYPE -> RequestRules.getToken(fields);
            case PoolCommand.UseToken.TYPE -> RequestRules.useToken(fields);
            case PoolCommand.ListTokens.TYPE -> RequestRules.listTokens(fields);
            case PoolCommand.CountTokens.TYPE -> RequestRules.countTokens(fields);
            default ->
                Validation.invalid(
                        ErrorCode.INVALID_PAYLOAD,
                        "Unknown command type " + object.get(TYPE)
                                + "; expected one of add_tokens, delete_tokens, delete_by_order, get_token, use_token, "
                                + "list_tokens, count_tokens.");
        };
        return switch (command) {
            case Validation.Valid<PoolCommand> valid ->
                new DecodedCommand.Accepted(new CommandEnvelope(
                        CommandEnvelope.VERSION,
                        correlationId,
                        replyTo,
                        valid.value(),
                        actor == null ? null : actor.textValue(),
                        idempotencyKey == null ? null : idempotencyKey.textValue()));
            case Validation.Invalid<PoolCommand> invalid -> new DecodedCommand.Refused(replyAddress, invalid.error());
        };
    }

    private static String text(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
