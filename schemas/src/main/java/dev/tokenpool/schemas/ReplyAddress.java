package dev.tokenpool.schemas;

/** Where and under which correlation ID the answer to a command goes. */
public record ReplyAddress(String correlationId, String replyTo) {}
