package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many requests a project may make, as the API tokenpool reproduces limits each key: at most
 * {@code requestsPerSecond} (kept by each gateway on its own), and at most {@code requestsPerDay} in a UTC day
 * (kept exactly where the project's commands meet, its partition of the commands topic). A null field is no
 * limit of that kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimit(Integer requestsPerSecond, Long requestsPerDay) {
    public static final int MAX_PER_SECOND = 1_000_000;
    public static final long MAX_PER_DAY = 10_000_000_000L;
    static final long DAY_MILLIS = 86_400_000L;

    public RateLimit {
        if (requestsPerSecond != null && (requestsPerSecond < 1 || requestsPerSecond > MAX_PER_SECOND)) {
            throw new IllegalArgumentException("requestsPerSecond must be from 1 to " + MAX_PER_SECOND);
        }
        if (requestsPerDay != null && (requestsPerDay < 1 || requestsPerDay > MAX_PER_DAY)) {
            throw new IllegalArgumentException("requestsPerDay must be from 1 to " + MAX_PER_DAY);
        }
    }

    /** No limit of either kind: stored as no setting at all. */
    public static RateLimit orNone(Integer requestsPerSecond, Long requestsPerDay) {
        return requestsPerSecond == null && requestsPerDay == null
                ? null
                : new RateLimit(requestsPerSecond, requestsPerDay);
    }

    /** The UTC day (days since the epoch) an instant falls on: daily quotas renew at 00:00 UTC. */
    public static long day(long epochMillis) {
        return Math.floorDiv(epochMillis, DAY_MILLIS);
    }

    /** Whole seconds from {@code epochMillis} until the next 00:00 UTC, at least 1: a Retry-After for a used-up quota. */
    public static long secondsToNextDay(long epochMillis) {
        long next = (day(epochMillis) + 1) * DAY_MILLIS;
        return Math.max(1, (next - epochMillis + 999) / 1000);
    }
}
