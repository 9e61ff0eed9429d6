package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When a project's tokens expire: after {@code maxUses} uses, and/or {@code ttlSeconds} after their
 * (last) registration — whichever comes first. A null field is no limit of that kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Expiration(Integer maxUses, Long ttlSeconds) {
    public static final int MAX_USES = 1_000_000;
    public static final long MAX_TTL_SECONDS = 10L * 365 * 24 * 3600;

    public Expiration {
        if (maxUses == null && ttlSeconds == null) {
            throw new IllegalArgumentException("an expiration needs maxUses, ttlSeconds or both");
        }
        if (maxUses != null && maxUses < 1) {
            throw new IllegalArgumentException("maxUses must be at least 1");
        }
        if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)) {
            throw new IllegalArgumentException("ttlSeconds must be from 1 to " + MAX_TTL_SECONDS);
        }
    }

    /** Whether a token registered at {@code registeredAtMillis} and used {@code uses} times has expired at {@code nowMillis}. */
    public boolean expired(long registeredAtMillis, long uses, long nowMillis) {
        return usedUp(uses) || (ttlSeconds != null && nowMillis >= expiresAtMillis(registeredAtMillis));
    }

    public boolean usedUp(long uses) {
        return maxUses != null && uses >= maxUses;
    }

    /** When a token registered then expires by time; Long.MAX_VALUE without a TTL. */
    public long expiresAtMillis(long registeredAtMillis) {
        return ttlSeconds == null ? Long.MAX_VALUE : registeredAtMillis + ttlSeconds * 1000;
    }
}
