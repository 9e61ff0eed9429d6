package dev.tokenpool.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one timestamp format on tokenpool's wire: ISO-8601 in UTC, always with milliseconds. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** For example {@code 2026-11-24T08:00:01.000Z}. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    public static String formatMillis(long epochMillis) {
        return format(Instant.ofEpochMilli(epochMillis));
    }

    public static String now() {
        return format(Instant.now());
    }
}
