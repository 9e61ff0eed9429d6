package dev.tokenpool.standalone;

import dev.tokenpool.schemas.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Looks up every token a {@link Ledger} knows of and compares the pool with what the answers promised:
 * an acknowledged add must be there (else it is lost), an acknowledged delete must not (else it came
 * back), and the pool's count must equal the tokens found (else the pool holds tokens nobody sent).
 */
final class PoolCheck {
    /** {@code baseline}: tokens put in the pool beforehand and known to be there, not looked up one by one. */
    record Result(int present, List<String> lost, List<String> resurrected, long count, long baseline) {
        long phantoms() {
            return count - baseline - present;
        }
    }

    private PoolCheck() {}

    static Result run(URI tokens, String apiKey, Ledger ledger) throws Exception {
        return run(tokens, apiKey, ledger, 0);
    }

    static Result run(URI tokens, String apiKey, Ledger ledger, long baseline) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Ledger.Fate> promised = ledger.snapshot();
        Map<String, Boolean> found = new ConcurrentHashMap<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> lookups = new ArrayList<>();
            for (String id : promised.keySet()) {
                lookups.add(pool.submit(() -> {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            tokens + "?tokenId=" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                                    .header("x-api-key", apiKey)
                                    .timeout(Duration.ofSeconds(15))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        found.put(id, true);
                    } else if (answer.body().contains("token_id_not_found")) {
                        found.put(id, false);
                    } else {
                        throw new IllegalStateException(
                                "GET " + id + " answered " + answer.statusCode() + " " + answer.body());
                    }
                    return null;
                }));
            }
            for (Future<?> lookup : lookups) {
                lookup.get();
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> resurrected = new ArrayList<>();
        promised.forEach((id, fate) -> {
            boolean there = found.get(id);
            if (fate == Ledger.Fate.PRESENT && !there) {
                lost.add(id);
            } else if (fate == Ledger.Fate.ABSENT && there) {
                resurrected.add(id);
            }
            ledger.observed(id, there);
        });
        int present = (int) found.values().stream().filter(b -> b).count();
        return new Result(present, lost, resurrected, count(http, tokens, apiKey, found), baseline);
    }

    /** The pool's count, read from a POST that re-registers a token already there (or, in an empty pool, a DELETE). */
    private static long count(HttpClient http, URI tokens, String apiKey, Map<String, Boolean> found) throws Exception {
        String there = found.entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        if (there == null) {
            HttpResponse<String> none = http.send(
                    HttpRequest.newBuilder(tokens)
                            .header("x-api-key", apiKey)
                            .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"count\":1,\"order\":\"asc\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.parse(none.body().getBytes())
                    .path("summary")
                    .path("deleted")
                    .asLong();
        }
        HttpResponse<String> again = http.send(
                HttpRequest.newBuilder(tokens)
                        .header("x-api-key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"" + there + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.parse(again.body().getBytes())
                .path("summary")
                .path("currentCount")
                .asLong();
    }
}
