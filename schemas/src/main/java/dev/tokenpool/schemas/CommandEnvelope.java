package dev.tokenpool.schemas;

import java.util.Objects;

/**
 * A command record's value: the wire version, who waits for the answer ({@code correlationId},
 * {@code replyTo} topic), the command, optionally who sent it ({@code actor}, up to 128 characters, for the
 * audit log: gateways write {@code api-key:<fingerprint>}) and optionally an {@code idempotencyKey}: a
 * command that changes a pool is applied once per key, and a retry with the key gets the first result
 * again. The record's key is the project ID.
 */
public record CommandEnvelope(
        int version, String correlationId, String replyTo, PoolCommand command, String actor, String idempotencyKey) {
    public static final int VERSION = 1;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    static final int MAX_CORRELATION_ID_LENGTH = 128;
    private static final int MAX_TOPIC_NAME_LENGTH = 249;

    public CommandEnvelope {
        Objects.requireNonNull(command, "command");
        if (!isCorrelationId(correlationId)) {
            throw new IllegalArgumentException("correlationId must be 1 to 128 characters, not blank");
        }
        if (!isTopicName(replyTo)) {
            throw new IllegalArgumentException("replyTo must be a legal Kafka topic name: " + replyTo);
        }
        if (actor != null && !isActor(actor)) {
            throw new IllegalArgumentException("actor must be 1 to 128 characters, not blank");
        }
        if (idempotencyKey != null && !isIdempotencyKey(idempotencyKey)) {
            throw new IllegalArgumentException("idempotencyKey must be 1 to 255 printable ASCII characters");
        }
    }

    public static CommandEnvelope of(String correlationId, String replyTo, PoolCommand command) {
        return new CommandEnvelope(VERSION, correlationId, replyTo, command, null, null);
    }

    public CommandEnvelope withActor(String who) {
        return new CommandEnvelope(version, correlationId, replyTo, command, who, idempotencyKey);
    }

    /** The command applied once per {@code key} (null: no key). */
    public CommandEnvelope withIdempotencyKey(String key) {
        return new CommandEnvelope(version, correlationId, replyTo, command, actor, key);
    }

    /** 1 to 255 printable ASCII characters (space to tilde), as HTTP's Idempotency-Key header carries them. */
    public static boolean isIdempotencyKey(String value) {
        return value != null
                && !value.isEmpty()
                && value.length() <= MAX_IDEMPOTENCY_KEY_LENGTH
                && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    static boolean isActor(String value) {
        return isCorrelationId(value);
    }

    static boolean isCorrelationId(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_CORRELATION_ID_LENGTH;
    }

    static boolean isTopicName(String value) {
        return NameChars.isLegal(value, MAX_TOPIC_NAME_LENGTH) && !value.equals(".") && !value.equals("..");
    }
}
