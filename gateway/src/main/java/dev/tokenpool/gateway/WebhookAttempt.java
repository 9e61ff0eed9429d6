package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * One event on its way to a project's webhook, as it waits on a retry topic or lies on the dead-letter topic (key:
 * project ID): the event as the events topic had it, how many attempts failed, when the next is due and why the
 * last failed. Nothing secret: the body is signed (and encrypted) anew at each attempt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookAttempt(
        int version,
        String projectId,
        String eventId,
        String trigger,
        JsonNode event,
        int failedAttempts,
        long dueAtMillis,
        long eventAtMillis,
        String lastError) {
    static final int VERSION = 1;

    /** An event as it comes from the events topic, its first attempt due now; empty for anything else. */
    static Optional<WebhookAttempt> ofEvent(String projectId, byte[] value, long recordTimestamp) {
        try {
            JsonNode event = Json.parse(value);
            String eventId = event.path("event_id").textValue();
            String trigger = event.path("webhook_trigger").textValue();
            if (projectId == null || eventId == null || trigger == null || !event.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new WebhookAttempt(
                    VERSION, projectId, eventId, trigger, event, 0, recordTimestamp, recordTimestamp, null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** An attempt as a retry topic has it; empty for anything else. */
    static Optional<WebhookAttempt> read(byte[] value) {
        try {
            WebhookAttempt attempt = Json.MAPPER.readValue(value, WebhookAttempt.class);
            return attempt.version == VERSION
                            && attempt.projectId != null
                            && attempt.eventId != null
                            && attempt.trigger != null
                            && attempt.event != null
                            && attempt.event.isObject()
                            && attempt.failedAttempts >= 0
                    ? Optional.of(attempt)
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The same event after one more failed attempt, due again at {@code dueAt}. */
    WebhookAttempt failed(String error, long dueAt) {
        return new WebhookAttempt(
                VERSION, projectId, eventId, trigger, event, failedAttempts + 1, dueAt, eventAtMillis, error);
    }

    /** The same event, not tried now but put off to {@code dueAt} (its endpoint has enough deliveries under way). */
    WebhookAttempt putOff(long dueAt) {
        return new WebhookAttempt(
                VERSION, projectId, eventId, trigger, event, failedAttempts, dueAt, eventAtMillis, lastError);
    }
}
