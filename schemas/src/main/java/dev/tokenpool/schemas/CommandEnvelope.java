package dev.tokenpool.schemas;

import java.util.Objects;

/**
 * A command record's value: the wire version, who waits for the answer ({@code correlationId},
 * {@code replyTo} topic), the command, and optionally who sent it ({@code actor}, up to 128 characters,
 * for the audit log: gateways write {@code api-key:<fingerprint>}). The record's key is the project ID.
 */
public record CommandEnvelope(int version, String correlationId, String replyTo, PoolCommand command, String actor) {
    public static final int VERSION = 1;
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
    }

    public static CommandEnvelope of(String correlationId, String replyTo, PoolCommand command) {
        return new CommandEnvelope(VERSION, correlationId, replyTo, command, null);
    }

    public CommandEnvelope withActor(String who) {
        return new CommandEnvelope(version, correlationId, replyTo, command, who);
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
