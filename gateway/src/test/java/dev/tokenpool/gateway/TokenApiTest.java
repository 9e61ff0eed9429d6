package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.ReplyAddress;
import dev.tokenpool.schemas.TokenDetails;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The token API at the edge: what it refuses itself, what it sends on, and how it answers. */
class TokenApiTest {
    record Sent(String projectId, PoolCommand command) {}

    final InMemoryProjects projects = new InMemoryProjects();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** How the scripted processor answers a command. */
    Function<PoolCommand, CompletableFuture<PoolResult>> processor = command ->
            CompletableFuture.completedFuture(PoolResult.of(new ReplyAddress("c", "r"), DeleteByOrderResponse.of(0)));

    HttpHarness http;
    String key;
    final List<String> actors = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> idempotencyKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        http = new HttpHarness();
        key = projects.add("project-1");
        CommandSender sender = (projectId, command, actor, idempotencyKey) -> {
            actors.add(actor);
            idempotencyKeys.add(idempotencyKey == null ? "none" : idempotencyKey);
            sent.add(new Sent(projectId, command));
            return processor.apply(command);
        };
        new TokenApi(
                        http.vertx,
                        HttpHarness.settings(Map.of("TOKENPOOL_MAX_IN_FLIGHT", "2")),
                        projects,
                        sender,
                        new GatewayMetrics(http.metrics),
                        http.bodies)
                .addTo(http.routes);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    HttpHarness.Answer post(String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "x-api-key";
        all[1] = key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.call("POST", TokenApi.PATH, body, all);
    }

    @Nested
    class RefusedAtTheEdge {
        @Test
        void shouldRefuseAMissingOrUnknownApiKeyWithInvalidProject() throws Exception {
            assertThat(http.call("POST", TokenApi.PATH, "{\"tokenId\":[\"user001a\"]}")
                            .errorCode())
                    .isEqualTo("invalid_project");
            assertThat(http.call("GET", TokenApi.PATH + "?tokenId=user001a", null, "x-api-key", "tp_nope")
                            .errorCode())
                    .isEqualTo("invalid_project");
            assertThat(sent).isEmpty();
        }

        @Test
        void shouldRefuseOtherMethodsWithInvalidPath() throws Exception {
            HttpHarness.Answer answer = http.call("PUT", TokenApi.PATH, "{}", "x-api-key", key);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("invalid_path");
            assertThat(answer.json().path("errorMessage").asText())
                    .contains("PUT")
                    .contains("POST");
        }

        @Test
        void shouldRefuseBadBodiesWithoutSendingAnything() throws Exception {
            assertThat(post("{\"tokenId\": [").errorCode()).isEqualTo("invalid_payload");
            assertThat(post("{\"tokenId\":[\"user001a\"],\"extra\":1}")
                            .json()
                            .path("errorMessage")
                            .asText())
                    .contains("'extra'");
            assertThat(post("{\"tokenId\":[\"bad id\"]}").errorCode()).isEqualTo("invalid_token_id_format");
            assertThat(post("{\"tokenId\":[\"user001a\"]}", "Content-Type", "application/x-www-form-urlencoded")
                            .errorCode())
                    .isEqualTo("invalid_payload");
            assertThat(sent).isEmpty();
        }

        @Test
        void shouldAnswer413ForABodyOverTheCap() throws Exception {
            HttpHarness.Answer answer = post("{\"tokenId\":[\"" + "a".repeat(5000) + "\"]}");
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.errorCode()).isEqualTo("payload_too_large");
            assertThat(sent).isEmpty();
        }

        @Test
        void shouldAnswerMalformedPercentEncodingInsteadOfHanging() throws Exception {
            for (String query : List.of("tokenId=%zz", "tokenId=%", "0%%=")) {
                String answer = http.raw("GET " + TokenApi.PATH + "?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "x-api-key: " + key + "\r\nConnection: close\r\n\r\n");
                assertThat(answer).as(query).startsWith("HTTP/1.1 400").contains("invalid_query_parameters");
            }
            assertThat(sent).isEmpty();
        }

        @Test
        void shouldRefuseAnyOtherQuery() throws Exception {
            for (String query : List.of(
                    "?tokenId=",
                    "?tokenId=user001a&tokenId=user001b",
                    "?tokenId=user001a&x=1",
                    "?type=all",
                    "?type=count&tokenId=user001a",
                    "?nextPageKeyId=user001a",
                    "?nextPageKeyTime=2026-11-25T08:45:06Z",
                    "?nextPageKeyId=user001a&nextPageKeyTime=yesterday",
                    "?nextPageKeyId=a&nextPageKeyTime=2026-11-25T08:45:06Z")) {
                assertThat(http.call("GET", TokenApi.PATH + query, null, "x-api-key", key)
                                .errorCode())
                        .as(query)
                        .isEqualTo("invalid_query_parameters");
            }
            assertThat(sent).isEmpty();
        }

        @Test
        void shouldGiveUpOnABodyThatDoesNotArriveInTime() throws Exception {
            String answer = http.raw("POST " + TokenApi.PATH + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + key
                    + "\r\nContent-Length: 100\r\n\r\n{\"tokenId\":");
            assertThat(answer).startsWith("HTTP/1.1 400").contains("did not arrive within 500 ms");
            assertThat(sent).isEmpty();
        }
    }

    @Nested
    class SentToThePool {
        @Test
        void shouldSendTheCommandOfItsProjectAndAnswerExactlyWithItsResult() throws Exception {
            processor = command -> CompletableFuture.completedFuture(PoolResult.of(
                    new ReplyAddress("c", "r"),
                    TokenDetails.of("user001a", "2026-11-24T08:00:01.000Z", false, 0, null)));
            HttpHarness.Answer answer = http.call("GET", TokenApi.PATH + "?tokenId=user001a", null, "x-api-key", key);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json())
                    .isEqualTo(Json.tree(TokenDetails.of("user001a", "2026-11-24T08:00:01.000Z", false, 0, null)));
            assertThat(sent).containsExactly(new Sent("project-1", new PoolCommand.GetToken("user001a")));
            assertThat(actors)
                    .as("the audit log names the key, never shows it")
                    .containsExactly(ApiKeys.fingerprint(key))
                    .allMatch(actor -> actor.matches("api-key:[0-9a-f]{12}"));
        }

        @Test
        void shouldReadTheThreeKindsOfGetAndTheUseOfAToken() throws Exception {
            http.call("GET", TokenApi.PATH, null, "x-api-key", key);
            http.call("GET", TokenApi.PATH + "?type=count", null, "x-api-key", key);
            http.call(
                    "GET",
                    TokenApi.PATH + "?nextPageKeyId=user001a&nextPageKeyTime=2026-11-25T08:45:06.470001Z",
                    null,
                    "x-api-key",
                    key);
            http.call("POST", TokenApi.USE_PATH, "{\"tokenId\":\"user001a\"}", "x-api-key", key);
            assertThat(sent)
                    .extracting(Sent::command)
                    .containsExactly(
                            new PoolCommand.ListTokens(null),
                            new PoolCommand.CountTokens(),
                            new PoolCommand.ListTokens(
                                    new dev.tokenpool.schemas.PageKey("user001a", 1_795_596_306_470_001L)),
                            new PoolCommand.UseToken("user001a"));
            awaitCounted("list_tokens", "count_tokens", "use_token");
        }

        /** The gateway counts a request once its response is written, which may be just after the client has read it. */
        private void awaitCounted(String... operations) throws Exception {
            for (String operation : operations) {
                dev.tokenpool.runtime.Deadline.await(
                        java.time.Duration.ofSeconds(5),
                        () -> http.metrics
                                        .find("tokenpool.gateway.requests")
                                        .tag("operation", operation)
                                        .counter()
                                != null,
                        () -> "a request counted as " + operation);
            }
        }

        @Test
        void shouldTellDeleteByIdsFromDeleteByCountInItsMetrics() throws Exception {
            http.call("DELETE", TokenApi.PATH, "{\"tokenId\":[\"user001a\"]}", "x-api-key", key);
            http.call("DELETE", TokenApi.PATH, "{\"count\":5,\"order\":\"asc\"}", "x-api-key", key);
            http.call("DELETE", TokenApi.PATH, "{\"count\":5,\"order\":\"sideways\"}", "x-api-key", key);
            assertThat(sent)
                    .extracting(Sent::command)
                    .containsExactly(
                            new PoolCommand.DeleteTokens(List.of("user001a")),
                            new PoolCommand.DeleteByOrder(5, Order.ASC));
            awaitCounted("delete_tokens", "delete_by_order", "delete");
        }

        @Test
        void shouldAnswer504WhenNoResultComesInTime() throws Exception {
            processor = command -> CompletableFuture.failedFuture(new TimeoutException());
            HttpHarness.Answer answer = post("{\"tokenId\":[\"user001a\"]}");
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.errorCode()).isEqualTo("request_timeout");
        }

        @Test
        void shouldAnswer503WithRetryAfterWhenKafkaCannotTakeTheCommand() throws Exception {
            processor = command ->
                    CompletableFuture.failedFuture(new KafkaUnavailableException(new IllegalStateException("down")));
            HttpHarness.Answer answer = post("{\"tokenId\":[\"user001a\"]}");
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().path("errorMessage").asText()).contains("nothing was applied");
            assertThat(answer.raw().headers().firstValue("Retry-After")).contains("5");
        }

        @Test
        void shouldRefuseRequestsPastTheInFlightBound() throws Exception {
            CompletableFuture<PoolResult> never = new CompletableFuture<>();
            processor = command -> never;
            var first = http.client.sendAsync(request(), java.net.http.HttpResponse.BodyHandlers.ofString());
            var second = http.client.sendAsync(request(), java.net.http.HttpResponse.BodyHandlers.ofString());
            dev.tokenpool.runtime.Deadline.await(
                    java.time.Duration.ofSeconds(5), () -> sent.size() == 2, () -> "two commands sent");

            HttpHarness.Answer third = post("{\"tokenId\":[\"user001c\"]}");
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.raw().headers().firstValue("Retry-After")).contains("1");
            assertThat(sent).hasSize(2);

            never.complete(PoolResult.of(new ReplyAddress("c", "r"), DeleteByOrderResponse.of(0)));
            assertThat(first.join().statusCode()).isEqualTo(200);
            assertThat(second.join().statusCode()).isEqualTo(200);
        }

        private java.net.http.HttpRequest request() {
            return java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + http.port() + TokenApi.PATH))
                    .header("x-api-key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"user001a\"]}"))
                    .build();
        }
    }

    @Nested
    class IdempotencyKeys {
        @Test
        void shouldSendTheKeyOfEveryRequestThatChangesAPoolAndNotOfAGet() throws Exception {
            post("{\"tokenId\":[\"user001a\"]}", "Idempotency-Key", "add 1");
            http.call(
                    "DELETE",
                    TokenApi.PATH,
                    "{\"count\":5,\"order\":\"asc\"}",
                    "x-api-key",
                    key,
                    "Idempotency-Key",
                    "del-1");
            http.call(
                    "POST",
                    TokenApi.USE_PATH,
                    "{\"tokenId\":\"user001a\"}",
                    "x-api-key",
                    key,
                    "Idempotency-Key",
                    "use~1");
            http.call("GET", TokenApi.PATH + "?tokenId=user001a", null, "x-api-key", key, "Idempotency-Key", "get-1");
            post("{\"tokenId\":[\"user002b\"]}");
            assertThat(idempotencyKeys).containsExactly("add 1", "del-1", "use~1", "none", "none");
        }

        @Test
        void shouldRefuseAKeyThatIsNotOnePrintableValueAndSendNothing() throws Exception {
            for (String[] headers : List.of(
                    new String[] {"Idempotency-Key", "k".repeat(256)},
                    new String[] {"Idempotency-Key", "first", "Idempotency-Key", "second"})) {
                HttpHarness.Answer answer = post("{\"tokenId\":[\"user001a\"]}", headers);
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.errorCode()).isEqualTo("invalid_payload");
                assertThat(answer.json().path("errorMessage").asText()).contains("Idempotency-Key");
            }
            assertThat(post("{\"tokenId\":[\"user001a\"]}", "Idempotency-Key", "k".repeat(255))
                            .status())
                    .isEqualTo(200);
            assertThat(sent).hasSize(1);
        }

        @Test
        void shouldMarkAReplayAndPassOnWhenToRetry() throws Exception {
            processor = command -> CompletableFuture.completedFuture(
                    PoolResult.replay(new ReplyAddress("c", "r"), 200, Json.tree(DeleteByOrderResponse.of(3))));
            HttpHarness.Answer replayed = post("{\"tokenId\":[\"user001a\"]}", "Idempotency-Key", "k1");
            assertThat(replayed.raw().headers().firstValue("Idempotent-Replayed"))
                    .contains("true");
            assertThat(replayed.json()).isEqualTo(Json.tree(DeleteByOrderResponse.of(3)));

            processor = command -> CompletableFuture.completedFuture(PoolResult.retryLater(
                    new ReplyAddress("c", "r"), ErrorCode.IDEMPOTENCY_KEY_LIMIT_EXCEEDED.response(), 42));
            HttpHarness.Answer full = post("{\"tokenId\":[\"user001a\"]}", "Idempotency-Key", "k2");
            assertThat(full.status()).isEqualTo(429);
            assertThat(full.raw().headers().firstValue("Retry-After")).contains("42");
            assertThat(full.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
        }
    }

    @Nested
    class Limits {
        @Test
        void shouldAnswer429WithRetryAfterPastAProjectsRequestsPerSecondAndSendNothing() throws Exception {
            String limited = projects.add("limited", new RateLimit(2, null));
            List<HttpHarness.Answer> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(http.call("GET", TokenApi.PATH + "?type=count", null, "x-api-key", limited));
            }
            List<HttpHarness.Answer> refused =
                    answers.stream().filter(a -> a.status() == 429).toList();
            assertThat(refused).as("a burst of 5 at 2 a second").hasSizeBetween(2, 3);
            assertThat(refused).allSatisfy(answer -> {
                assertThat(answer.errorCode()).isEqualTo("rate_limit_exceeded");
                assertThat(answer.raw().headers().firstValue("Retry-After")).contains("1");
            });
            assertThat(sent.stream().filter(s -> s.projectId().equals("limited")))
                    .hasSize(5 - refused.size());
            assertThat(http.call("GET", TokenApi.PATH + "?type=count", null, "x-api-key", key)
                            .status())
                    .as("another project is not slowed")
                    .isEqualTo(200);
            assertThat(http.metrics
                            .get("tokenpool.gateway.refused")
                            .tag("reason", "rate")
                            .counter()
                            .count())
                    .isEqualTo(refused.size());
        }

        @Test
        void shouldSayWhenTheDailyQuotaRenewsWhenTheProcessorRefusesACommandForIt() throws Exception {
            processor = command -> CompletableFuture.completedFuture(
                    PoolResult.of(new ReplyAddress("c", "r"), ErrorCode.RATE_LIMIT_EXCEEDED.response("quota")));
            HttpHarness.Answer answer = http.call("GET", TokenApi.PATH + "?type=count", null, "x-api-key", key);
            assertThat(answer.status()).isEqualTo(429);
            long retryAfter = Long.parseLong(
                    answer.raw().headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isCloseTo(RateLimit.secondsToNextDay(System.currentTimeMillis()), within(2L));
        }

        @Test
        void shouldRefuseABodyTheBudgetHasNoRoomForBeforeReadingIt() throws Exception {
            try (HttpHarness tight = new HttpHarness()) {
                new TokenApi(
                                tight.vertx,
                                HttpHarness.SETTINGS,
                                projects,
                                (p, c, a, k) -> processor.apply(c),
                                new GatewayMetrics(tight.metrics),
                                new BodyBudget(1_024, 1_024, () -> {}))
                        .addTo(tight.routes);
                tight.start();
                String large = "{\"tokenId\":[" + "\"user001a\",".repeat(120) + "\"user001a\"]}";
                HttpHarness.Answer refused = tight.call("POST", TokenApi.PATH, large, "x-api-key", key);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
                assertThat(tight.call("POST", TokenApi.PATH, "{\"tokenId\":[\"user001a\"]}", "x-api-key", key)
                                .status())
                        .as("a body that fits")
                        .isEqualTo(200);
            }
        }
    }
}
