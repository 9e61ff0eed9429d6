package dev.tokenpool.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a processor's log says about rebuilding stores from their changelogs (the lines of its RestoreLog). */
final class RestoreLines {
    private RestoreLines() {}

    /** Records restored, summed over the "restored … N records" lines of {@code log}. */
    static long restored(String log) {
        return numbers(log, Pattern.compile("restored \\S+ from \\S+: (\\d+) records")).stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Where each rebuild of {@code store} started ("restoring store from … offsets N to M"). */
    static List<Long> startOffsets(String log, String store) {
        return numbers(log, Pattern.compile("restoring " + Pattern.quote(store) + " from \\S+: offsets (\\d+) to"));
    }

    private static List<Long> numbers(String log, Pattern line) {
        Matcher matcher = line.matcher(log);
        List<Long> numbers = new ArrayList<>();
        while (matcher.find()) {
            numbers.add(Long.parseLong(matcher.group(1)));
        }
        return numbers;
    }
}
