package dev.tokenpool.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The secret the gateways and processors of one deployment share: a processor answers routed reads only to a caller
 * that shows it in {@link #HEADER}. Never printed: settings that hold it may be logged.
 */
public final class InternalKey {
    public static final String HEADER = "x-internal-key";

    private final byte[] value;

    private InternalKey(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** The configured key; empty when none is set, and then no read is routed. */
    public static Optional<InternalKey> from(Env env) {
        String value = Settings.INTERNAL_KEY.from(env);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new InternalKey(value));
    }

    public static InternalKey of(String value) {
        return new InternalKey(value);
    }

    /** Whether a caller showed this key; in constant time, so timing tells nothing of it. */
    public boolean shownIn(String header) {
        return header != null && MessageDigest.isEqual(value, header.getBytes(StandardCharsets.UTF_8));
    }

    /** The header value a caller sends. */
    public String value() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "InternalKey[redacted]";
    }
}
