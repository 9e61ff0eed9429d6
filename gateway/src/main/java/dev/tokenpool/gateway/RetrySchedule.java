package dev.tokenpool.gateway;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a failed webhook delivery is tried again: the waits before the second attempt, the third, and so on
 * ({@code 5s,5m,30m,2h,…}). A delivery waiting for its next attempt waits in Kafka, on the retry topic of its wait
 * ({@code retry-5m}): every record of such a topic waits the same time, so records fall due in the order they were
 * written, and the topic is read head first, each partition paused until its head is due.
 */
record RetrySchedule(List<Duration> waits) {
    private static final Pattern WAIT = Pattern.compile("([1-9][0-9]{0,5})([smh])");

    RetrySchedule {
        waits = List.copyOf(waits);
    }

    static RetrySchedule parse(String text) {
        List<Duration> waits = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher matcher = WAIT.matcher(part.strip());
            if (!matcher.matches()) {
                throw new Env.BadSetting(
                        Settings.WEBHOOK_RETRY_SCHEDULE.name(),
                        text,
                        "waits such as 5s, 5m or 2h, comma-separated (at least one)");
            }
            long amount = Long.parseLong(matcher.group(1));
            waits.add(
                    switch (matcher.group(2)) {
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    });
        }
        return new RetrySchedule(waits);
    }

    /** How many attempts a delivery gets in all: the first, and one after each wait. */
    int attempts() {
        return waits.size() + 1;
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones; empty when none is left. */
    Optional<Duration> waitAfter(int attempt) {
        return attempt >= 1 && attempt <= waits.size() ? Optional.of(waits.get(attempt - 1)) : Optional.empty();
    }

    /** The retry topics, one a distinct wait. */
    Set<String> topics(String prefix) {
        Set<String> topics = new LinkedHashSet<>();
        waits.forEach(wait -> topics.add(topic(prefix, wait)));
        return topics;
    }

    /** The topic where deliveries wait {@code wait}: {@code retry-} and the wait in its largest whole unit. */
    static String topic(String prefix, Duration wait) {
        long seconds = wait.toSeconds();
        String label =
                seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
        return prefix + "retry-" + label;
    }

    /** The whole span from the first attempt to the last. */
    Duration span() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
