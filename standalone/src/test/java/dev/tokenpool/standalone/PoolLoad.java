package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients adding new token IDs (5 a request) and deleting ones they had added (3 a request),
 * until stopped, recording every answer in a {@link Ledger}. A client never stops on an error: the
 * server going away is what the load is for.
 */
final class PoolLoad implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<URI> gateways;
    private final AnswerTimes.Log log;
    private final String apiKey;
    private final Ledger ledger;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    PoolLoad(URI tokens, String apiKey, Ledger ledger, int clientCount) {
        this(List.of(tokens), apiKey, ledger, clientCount, (sent, ended, acknowledged) -> {});
    }

    /** Clients that send each request to the next of {@code gateways}, and {@code log} every request. */
    PoolLoad(List<URI> gateways, String apiKey, Ledger ledger, int clientCount, AnswerTimes.Log log) {
        this.gateways = List.copyOf(gateways);
        this.log = log;
        this.apiKey = apiKey;
        this.ledger = ledger;
        int run = RUNS.incrementAndGet();
        for (int c = 0; c < clientCount; c++) {
            String prefix = "r" + run + "c" + c + "-";
            clients.add(Thread.ofVirtual().start(() -> client(prefix)));
        }
    }

    private void client(String prefix) {
        List<String> mine = new ArrayList<>();
        int next = 0;
        int sent = 0;
        while (running) {
            URI tokens = gateways.get(sent++ % gateways.size());
            if (mine.size() < 5 || ThreadLocalRandom.current().nextInt(10) < 7) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(prefix + String.format("%07d", next++));
                }
                Answer answer = send(tokens, "POST", ids);
                ledger.added(ids, answer.outcome());
                pauseAfterFailure(answer);
                if (answer.outcome() == Ledger.Outcome.ACKNOWLEDGED) {
                    mine.addAll(ids);
                }
            } else {
                List<String> ids = new ArrayList<>(mine.subList(0, 3));
                mine.subList(0, 3).clear();
                Answer answer = send(tokens, "DELETE", ids);
                Set<String> notFound = new HashSet<>();
                if (answer.body() != null) {
                    answer.body().path("details").path("notFound").forEach(id -> notFound.add(id.asText()));
                }
                ledger.deleted(ids, notFound, answer.outcome());
                pauseAfterFailure(answer);
                if (answer.outcome() == Ledger.Outcome.NOT_APPLIED) {
                    mine.addAll(ids); // still there, by the 503's promise
                }
            }
        }
    }

    /** A client that was refused waits a little before it tries again, as a well-behaved one would. */
    private static void pauseAfterFailure(Answer answer) {
        if (answer.outcome() != Ledger.Outcome.ACKNOWLEDGED) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How a request ended, with the body of a 200. */
    record Answer(Ledger.Outcome outcome, JsonNode body) {}

    private Answer send(URI tokens, String method, List<String> ids) {
        long sent = System.nanoTime();
        Answer answer = exchange(tokens, method, ids);
        log.request(sent, System.nanoTime(), answer.outcome() == Ledger.Outcome.ACKNOWLEDGED);
        return answer;
    }

    private Answer exchange(URI tokens, String method, List<String> ids) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(tokens)
                            .timeout(Duration.ofSeconds(15))
                            .header("x-api-key", apiKey)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString("{\"tokenId\":" + Json.tree(ids) + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> new Answer(Ledger.Outcome.ACKNOWLEDGED, Json.parse(response.body()));
                case 503 -> new Answer(Ledger.Outcome.NOT_APPLIED, null);
                default -> new Answer(Ledger.Outcome.UNKNOWN, null);
            };
        } catch (Exception e) {
            return new Answer(Ledger.Outcome.UNKNOWN, null);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(30));
        }
    }
}
