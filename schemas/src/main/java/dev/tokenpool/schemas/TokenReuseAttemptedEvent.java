package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A {@code token_reuse_attempted} event: a use of a token that had already expired (used up: {@code count}, or past
 * its time: {@code time}), answered token_expired. The signal a one-time-link service watches for: someone holds a
 * link that was already used. A token its project deleted on expiry is no longer known, and its reuse is answered
 * token_id_not_found without an event.
 */
@JsonPropertyOrder({"webhook_trigger", "token_id", "expired_condition", "attempted_at", "service", "event_id"})
public record TokenReuseAttemptedEvent(
        @JsonProperty("webhook_trigger") String webhookTrigger,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("expired_condition") String expiredCondition,
        @JsonProperty("attempted_at") String attemptedAt,
        @JsonProperty("service") String service,
        @JsonProperty("event_id") String eventId)
        implements TokenEvent {
    public static final String TRIGGER = "token_reuse_attempted";

    public static TokenReuseAttemptedEvent of(String tokenId, boolean usedUp, long attemptedAtMillis) {
        return new TokenReuseAttemptedEvent(
                TRIGGER,
                tokenId,
                usedUp ? "count" : "time",
                Timestamps.formatMillis(attemptedAtMillis),
                SERVICE,
                TokenEvent.newId());
    }
}
