package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A token lifecycle event on the events topic (key: project ID), as a project's webhook receives it. Every event
 * carries {@code webhook_trigger} (its kind, the public reference's field) and {@code event_id}: unique, and the
 * same on every delivery of the event (it is the {@code webhook-id} of Standard Webhooks).
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "webhook_trigger",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = TokenExpiredEvent.class, name = TokenExpiredEvent.TRIGGER),
    @JsonSubTypes.Type(value = TokenReuseAttemptedEvent.class, name = TokenReuseAttemptedEvent.TRIGGER)
})
public sealed interface TokenEvent permits TokenExpiredEvent, TokenReuseAttemptedEvent {
    /** The {@code service} of every event: the reference names its product there. */
    String SERVICE = "tokenpool";

    String webhookTrigger();

    String eventId();

    String tokenId();

    /** A new event ID: {@code evt_} and 32 random hex digits. Drawn once, when the event is made. */
    static String newId() {
        UUID uuid = UUID.randomUUID();
        return "evt_"
                + HexFormat.of().toHexDigits(uuid.getMostSignificantBits())
                + HexFormat.of().toHexDigits(uuid.getLeastSignificantBits());
    }
}
