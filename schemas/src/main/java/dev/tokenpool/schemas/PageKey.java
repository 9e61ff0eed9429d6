package dev.tokenpool.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where the next page of a pool listing starts: {@code nextPageKeyId} is the first token of that page
 * and {@code nextPageKeyTime} its place in the registration order, written as an ISO-8601 UTC time with
 * microseconds (for example {@code 2026-11-25T08:45:06.470001Z}). Every token of a pool has its own
 * such stamp, so the next page starts exactly there even when that token was deleted or registered
 * again meanwhile: no token that stayed is skipped or repeated.
 */
public record PageKey(String tokenId, long stamp) {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The stamp written as nextPageKeyTime. */
    public String time() {
        return FORMAT.format(Instant.EPOCH.plus(stamp, ChronoUnit.MICROS));
    }

    /** The stamp of a nextPageKeyTime as this API wrote it; empty for anything else. */
    public static Optional<Long> parseTime(String time) {
        try {
            Instant instant = Instant.parse(time);
            return instant.isBefore(Instant.EPOCH)
                    ? Optional.empty()
                    : Optional.of(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
