package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The requests no read can check afterwards — DELETE of the oldest token and a use of a token — sent with an
 * Idempotency-Key, until stopped, to a pool filled beforehand. Every request whose answer was lost is sent again
 * with its key once the faults are over, so each one's effect is known exactly: the pool must have lost exactly
 * as many tokens as the deletes' answers say, and each used token must have been used exactly once.
 */
final class KeyedLoad implements AutoCloseable {
    private final List<URI> gateways;
    private final String apiKey;
    private final String name;
    private final int size;
    private final AnswerTimes.Log log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Each request by its key: its body and path, and its 200 answer once it has one. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    private final Thread client;
    private volatile boolean running = true;

    private record Sent(String method, String path, String body, JsonNode answer) {
        Sent answered(JsonNode body) {
            return new Sent(method, path, this.body, body);
        }
    }

    /** Fills the pool with {@code size} tokens, then sends the load. */
    KeyedLoad(List<URI> gateways, String apiKey, String name, int size, AnswerTimes.Log log) throws Exception {
        this.gateways = List.copyOf(gateways);
        this.apiKey = apiKey;
        this.name = name;
        this.size = size;
        this.log = log;
        for (int from = 0; from < size; from += 500) {
            String batch = String.join(
                    ",",
                    IntStream.range(from, Math.min(size, from + 500))
                            .mapToObj(this::token)
                            .toList());
            JsonNode answer = send(gateways.getFirst(), "POST", "", "{\"tokenId\":[" + batch + "]}", null);
            if (answer == null) {
                throw new IllegalStateException("could not fill " + name);
            }
        }
        client = Thread.ofVirtual().start(this::run);
    }

    private String token(int i) {
        return "\"" + name + "-%06d\"".formatted(i);
    }

    private void run() {
        int i = 0;
        while (running) {
            String key = name + "-" + i;
            // Deletes take the oldest tokens, uses the newest: they never meet.
            Sent request = i % 2 == 0
                    ? new Sent("DELETE", "", "{\"count\":1,\"order\":\"asc\"}", null)
                    : new Sent("POST", "/use", "{\"tokenId\":" + token(size - 1 - i / 2) + "}", null);
            sent.put(key, request);
            long started = System.nanoTime();
            JsonNode answer =
                    send(gateways.get(i % gateways.size()), request.method(), request.path(), request.body(), key);
            log.request(started, System.nanoTime(), answer != null);
            if (answer != null) {
                sent.put(key, request.answered(answer));
            } else {
                sleep(100);
            }
            i++;
        }
    }

    /** Sends every request whose answer was lost again, with its key, until it is answered. */
    void resolve(Duration timeout) throws Exception {
        for (Map.Entry<String, Sent> request : sent.entrySet()) {
            Sent unanswered = request.getValue();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (unanswered.answer() == null && System.nanoTime() < deadline) {
                JsonNode answer = send(
                        gateways.getFirst(),
                        unanswered.method(),
                        unanswered.path(),
                        unanswered.body(),
                        request.getKey());
                if (answer != null) {
                    unanswered = unanswered.answered(answer);
                    sent.put(request.getKey(), unanswered);
                } else {
                    sleep(500);
                }
            }
        }
    }

    /** What the pool shows against what the answers say; empty when every request took effect exactly once. */
    List<String> violations() throws Exception {
        List<String> violations = new ArrayList<>();
        long deleted = 0;
        for (Map.Entry<String, Sent> request : sent.entrySet()) {
            Sent done = request.getValue();
            if (done.answer() == null) {
                violations.add(request.getKey() + " has no answer");
            } else if (done.method().equals("DELETE")) {
                deleted += done.answer().path("summary").path("deleted").asLong();
            } else {
                String tokenId = done.answer().path("tokenId").asText();
                JsonNode token = get("?tokenId=" + tokenId);
                if (token.path("data").path("uses").asInt() != 1) {
                    violations.add(tokenId + " was used " + token.path("data").path("uses") + " times, by "
                            + request.getKey());
                }
            }
        }
        long count = get("?type=count").path("count").asLong();
        if (count != size - deleted) {
            violations.add(name + " holds " + count + " tokens; " + size + " less the " + deleted
                    + " the deletes answered leaves " + (size - deleted));
        }
        return violations;
    }

    long requests() {
        return sent.size();
    }

    private JsonNode get(String query) throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(gateways.getFirst() + query))
                        .header("x-api-key", apiKey)
                        .timeout(Duration.ofSeconds(15))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return Json.parse(response.body());
    }

    /** The 200 answer's body, or null when there was none (an error, a timeout, no connection). */
    private JsonNode send(URI tokens, String method, String path, String body, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokens + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("x-api-key", apiKey)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Json.parse(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        client.join(Duration.ofSeconds(30));
    }
}
