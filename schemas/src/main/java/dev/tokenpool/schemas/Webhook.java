package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a project's token events are delivered, as the registry keeps it: the endpoint, the events it wants, and the
 * signing secret sealed under the gateways' master key. While a rotation runs, the secret it replaced signs too,
 * until {@code previousSecretUntil}, so the receiver can switch to the new one without missing an event.
 *
 * @param events the {@code webhook_trigger}s delivered; every one of {@link #EVENTS} when null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(
        String url, List<String> events, SealedSecret secret, SealedSecret previousSecret, String previousSecretUntil) {
    /** Every event a webhook can receive. */
    public static final List<String> EVENTS = List.of(TokenExpiredEvent.TRIGGER, TokenReuseAttemptedEvent.TRIGGER);
    /** The longest endpoint URL a project may set. */
    public static final int MAX_URL_LENGTH = 2048;

    public Webhook {
        if (url == null || secret == null) {
            throw new IllegalArgumentException("a webhook has a URL and a signing secret");
        }
        events = events == null ? null : List.copyOf(events);
    }

    public boolean delivers(String trigger) {
        return (events == null ? EVENTS : events).contains(trigger);
    }

    /** The secrets that sign a delivery at {@code now}: the current one, and the one it replaced while it still may. */
    public List<SealedSecret> signingSecrets(Instant now) {
        List<SealedSecret> secrets = new ArrayList<>(List.of(secret));
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(Instant.parse(previousSecretUntil))) {
            secrets.add(previousSecret);
        }
        return secrets;
    }

    /** The same endpoint and events, signed by {@code next}; the current secret still signs until {@code until}. */
    public Webhook rotated(SealedSecret next, Instant until) {
        return new Webhook(url, events, next, secret, Timestamps.formatMillis(until.toEpochMilli()));
    }

    /** Another endpoint or events, the same secrets. */
    public Webhook retargeted(String newUrl, List<String> newEvents) {
        return new Webhook(newUrl, newEvents, secret, previousSecret, previousSecretUntil);
    }
}
