package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A {@code token_expired} event, with the public reference's webhook field names. A count-based expiry carries
 * {@code expired_at} (the use that expired it); a time-based one {@code expected_expired_at} (when it was due).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "webhook_trigger",
    "token_id",
    "expired_condition",
    "expired_at",
    "expected_expired_at",
    "service",
    "event_id"
})
public record TokenExpiredEvent(
        @JsonProperty("webhook_trigger") String webhookTrigger,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("expired_condition") String expiredCondition,
        @JsonProperty("expired_at") String expiredAt,
        @JsonProperty("expected_expired_at") String expectedExpiredAt,
        @JsonProperty("service") String service,
        @JsonProperty("event_id") String eventId)
        implements TokenEvent {
    public static final String TRIGGER = "token_expired";

    public static TokenExpiredEvent byCount(String tokenId, long expiredAtMillis) {
        return new TokenExpiredEvent(
                TRIGGER, tokenId, "count", Timestamps.formatMillis(expiredAtMillis), null, SERVICE, TokenEvent.newId());
    }

    public static TokenExpiredEvent byTime(String tokenId, long dueAtMillis) {
        return new TokenExpiredEvent(
                TRIGGER, tokenId, "time", null, Timestamps.formatMillis(dueAtMillis), SERVICE, TokenEvent.newId());
    }
}
