package dev.tokenpool.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request of a load, by project: when it was sent, when it ended and whether it was acknowledged (200) — to
 * find, for a stretch of time, the longest a project went without an answer, the slowest request and how many
 * were not acknowledged.
 */
final class AnswerTimes {
    /** One request: sent and ended in nano time. */
    record Request(long sent, long ended, boolean acknowledged) {}

    /** Where a load records its requests for one project. */
    @FunctionalInterface
    interface Log {
        void request(long sent, long ended, boolean acknowledged);
    }

    private final Map<String, ConcurrentLinkedQueue<Request>> requests = new ConcurrentHashMap<>();

    /** The log of one project's requests. */
    Log of(String project) {
        ConcurrentLinkedQueue<Request> log = requests.computeIfAbsent(project, p -> new ConcurrentLinkedQueue<>());
        return (sent, ended, acknowledged) -> log.add(new Request(sent, ended, acknowledged));
    }

    /** The longest time {@code project} went without an acknowledged answer between {@code from} and {@code to}. */
    Duration longestGap(String project, long from, long to) {
        List<Long> within = new ArrayList<>(List.of(from));
        requests.getOrDefault(project, new ConcurrentLinkedQueue<>()).stream()
                .filter(Request::acknowledged)
                .map(Request::ended)
                .filter(ended -> ended > from && ended < to)
                .sorted()
                .forEach(within::add);
        within.add(to);
        long longest = 0;
        for (int i = 1; i < within.size(); i++) {
            longest = Math.max(longest, within.get(i) - within.get(i - 1));
        }
        return Duration.ofNanos(longest);
    }

    /** The slowest request of {@code project} sent between {@code from} and {@code to}, answered or not. */
    Duration slowest(String project, long from, long to) {
        return Duration.ofNanos(within(project, from, to).stream()
                .mapToLong(request -> request.ended() - request.sent())
                .max()
                .orElse(0));
    }

    /** How many requests of {@code project} sent between {@code from} and {@code to} were not acknowledged. */
    long notAcknowledged(String project, long from, long to) {
        return within(project, from, to).stream().filter(r -> !r.acknowledged()).count();
    }

    private List<Request> within(String project, long from, long to) {
        return requests.getOrDefault(project, new ConcurrentLinkedQueue<>()).stream()
                .filter(request -> request.sent() >= from && request.sent() < to)
                .toList();
    }
}
