package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idempotency-Key on a real broker: a request that changes a pool is applied once per key, however often and
 * however concurrently it is retried, across a 504, a restart and a kill -9 of the processor, over HTTP and
 * straight to Kafka.
 */
@ExtendWith(KafkaBroker.class)
class IdempotencyIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("idempotency-it");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A new project with {@code tokens} tokens; returns its API key. */
    private static String filledProject(String name, int tokens) throws Exception {
        String key = stack.createProject(name, null).path("apiKey").asText();
        List<String> ids = IntStream.range(0, tokens)
                .mapToObj(i -> "\"token-%05d\"".formatted(i))
                .toList();
        for (int from = 0; from < tokens; from += 500) {
            String batch = String.join(",", ids.subList(from, Math.min(tokens, from + 500)));
            assertThat(stack.tokens("POST", key, "{\"tokenId\":[" + batch + "]}")
                            .status())
                    .isEqualTo(200);
        }
        return key;
    }

    private static long count(String apiKey) throws Exception {
        return stack.call(stack.gateway(), "GET", "/v3/submission/tokens?type=count", null, "x-api-key", apiKey)
                .json()
                .path("count")
                .asLong();
    }

    private static TokenPoolStack.Answer keyed(String method, String path, String apiKey, String body, String key)
            throws Exception {
        return stack.call(
                stack.gateway(),
                method,
                path,
                body,
                "x-api-key",
                apiKey,
                "Content-Type",
                "text/plain",
                "Idempotency-Key",
                key);
    }

    private static boolean replayed(TokenPoolStack.Answer answer) {
        return answer.raw().headers().firstValue("Idempotent-Replayed").isPresent();
    }

    @Test
    void shouldApplyEachChangeOnceAndAnswerItsRetriesAlike() throws Exception {
        String apiKey = filledProject("retried", 20);
        record Request(String method, String path, String body) {}
        List<Request> requests = List.of(
                new Request("POST", "/v3/submission/tokens", "{\"tokenId\":[\"new-token-01\"]}"),
                new Request("DELETE", "/v3/submission/tokens", "{\"count\":5,\"order\":\"asc\"}"),
                new Request("POST", "/v3/submission/tokens/use", "{\"tokenId\":\"token-00019\"}"));
        for (Request request : requests) {
            TokenPoolStack.Answer first = keyed(
                    request.method(),
                    request.path(),
                    apiKey,
                    request.body(),
                    "once-" + request.method() + request.path());
            TokenPoolStack.Answer retry = keyed(
                    request.method(),
                    request.path(),
                    apiKey,
                    request.body(),
                    "once-" + request.method() + request.path());
            assertThat(first.status()).as(first.text()).isEqualTo(200);
            assertThat(replayed(first)).isFalse();
            assertThat(replayed(retry)).as(request.path()).isTrue();
            assertThat(retry.status()).isEqualTo(first.status());
            assertThat(retry.json()).isEqualTo(first.json());
        }
        assertThat(count(apiKey)).as("20 + 1 added - 5 deleted, each once").isEqualTo(16);
        JsonNode use = stack.getToken(apiKey, "token-00019").json();
        assertThat(use.path("data").path("uses").asInt()).as("used once").isEqualTo(1);
    }

    @Test
    void shouldApplyTenConcurrentRetriesFromTenConnectionsOnce() throws Exception {
        String apiKey = filledProject("concurrent", 100);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpClient client = HttpClient.newHttpClient(); // a connection of its own
            clients.add(client);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(stack.url(stack.gateway(), "/v3/submission/tokens")))
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"count\":7,\"order\":\"asc\"}"))
                    .header("x-api-key", apiKey)
                    .header("Content-Type", "text/plain")
                    .header("Idempotency-Key", "ten-at-once")
                    .build();
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<HttpResponse<String>> responses =
                answers.stream().map(CompletableFuture::join).toList();
        clients.forEach(HttpClient::close);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses)
                .extracting(HttpResponse::body)
                .as("every answer the first's")
                .containsOnly(responses.getFirst().body());
        assertThat(responses.stream()
                        .filter(r ->
                                r.headers().firstValue("Idempotent-Replayed").isPresent())
                        .count())
                .as("all but one replayed")
                .isEqualTo(9);
        assertThat(count(apiKey)).as("7 deleted, once").isEqualTo(93);
    }

    @Test
    void shouldRefuseTheKeyWithAnotherRequestAndKeepProjectsApart() throws Exception {
        String apiKey = filledProject("reused", 10);
        String other = filledProject("other", 10);
        assertThat(keyed("DELETE", "/v3/submission/tokens", apiKey, "{\"count\":2,\"order\":\"asc\"}", "k-1")
                        .status())
                .isEqualTo(200);

        TokenPoolStack.Answer reused =
                keyed("DELETE", "/v3/submission/tokens", apiKey, "{\"count\":3,\"order\":\"asc\"}", "k-1");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(count(apiKey)).as("nothing applied").isEqualTo(8);

        TokenPoolStack.Answer elsewhere =
                keyed("DELETE", "/v3/submission/tokens", other, "{\"count\":3,\"order\":\"asc\"}", "k-1");
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(replayed(elsewhere)).isFalse();
        assertThat(count(other)).isEqualTo(7);
        assertThat(stack.metric(stack.gateway(), "tokenpool_gateway_refused_total", "reason", "idempotency_key"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldAnswerAKafkaProducersRetryOnItsOwnReplyTopicWithItsCorrelationId() throws Exception {
        String projectId =
                stack.createProject("kafka-retries", null).path("projectId").asText();
        String replies = "idempotency-it.replies.kafka";
        Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaBroker.bootstrapServers());
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(replies, 1, (short) 1)))
                    .all()
                    .get();
        }
        try (var producer = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
                var consumer = new KafkaConsumer<>(
                        Map.<String, Object>of(
                                "bootstrap.servers",
                                KafkaBroker.bootstrapServers(),
                                "isolation.level",
                                "read_committed"),
                        new StringDeserializer(),
                        TokenPoolSerdes.result().deserializer())) {
            consumer.assign(List.of(new TopicPartition(replies, 0)));
            PoolCommand add = new PoolCommand.AddTokens(List.of("kafka-token-01", "kafka-token-02"));
            for (String correlationId : List.of("first", "retry")) {
                producer.send(new ProducerRecord<>(
                                "idempotency-it.commands",
                                projectId,
                                CommandCodec.encode(CommandEnvelope.of(correlationId, replies, add)
                                        .withIdempotencyKey("kafka-key-1"))))
                        .get();
            }
            List<PoolResult> results = new ArrayList<>();
            Deadline.await(
                    Duration.ofSeconds(20),
                    () -> {
                        for (ConsumerRecord<String, PoolResult> record : consumer.poll(Duration.ofMillis(200))) {
                            results.add(record.value());
                        }
                        return results.size() == 2;
                    },
                    () -> "two results on " + replies);
            assertThat(results).extracting(PoolResult::correlationId).containsExactly("first", "retry");
            assertThat(results).extracting(PoolResult::isReplay).containsExactly(false, true);
            assertThat(results.get(1).body()).isEqualTo(results.get(0).body());
            assertThat(results.get(0)
                            .body()
                            .path("summary")
                            .path("currentCount")
                            .asInt())
                    .isEqualTo(2);
        }
    }

    @Test
    void shouldFreeTheKeyAfterTheRetention() throws Exception {
        try (TokenPoolStack shortLived = TokenPoolStack.startOn(
                "idempotency-retention-it",
                KafkaBroker.bootstrapServers(),
                Map.of("TOKENPOOL_IDEMPOTENCY_RETENTION_MS", "3000"))) {
            String apiKey =
                    shortLived.createProject("brief", null).path("apiKey").asText();
            String body = "{\"tokenId\":[\"brief-token-01\"]}";
            String[] headers = {"x-api-key", apiKey, "Content-Type", "text/plain", "Idempotency-Key", "brief"};
            assertThat(shortLived
                            .call(shortLived.gateway(), "POST", "/v3/submission/tokens", body, headers)
                            .raw()
                            .headers()
                            .firstValue("Idempotent-Replayed"))
                    .isEmpty();
            assertThat(shortLived
                            .call(shortLived.gateway(), "POST", "/v3/submission/tokens", body, headers)
                            .raw()
                            .headers()
                            .firstValue("Idempotent-Replayed"))
                    .contains("true");
            Thread.sleep(3_500);
            assertThat(shortLived
                            .call(shortLived.gateway(), "POST", "/v3/submission/tokens", body, headers)
                            .raw()
                            .headers()
                            .firstValue("Idempotent-Replayed"))
                    .as("applied again: the key was free")
                    .isEmpty();
        }
    }

    /**
     * The processor in a JVM of its own: a DELETE by count times out while it is down (504), and its retry after the
     * processor is back answers the first attempt's result; a kill -9 after that keeps the stored result. The pool
     * lost exactly {@code count} tokens.
     */
    @Test
    void shouldAnswerARetryAfterA504AndAfterAKill9WithTheFirstResult() throws Exception {
        Map<String, String> env = new HashMap<>(TokenPoolStack.ownTopics("idempotency-crash-it"));
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
        env.put("TOKENPOOL_APPLICATION_ID", "idempotency-crash-it");
        env.put("TOKENPOOL_SESSION_TIMEOUT_MS", "6000");
        Map<String, String> gatewayEnv = new HashMap<>(env);
        gatewayEnv.put("TOKENPOOL_HTTP_PORT", "0");
        gatewayEnv.put("TOKENPOOL_ADMIN_KEY", "admin");
        gatewayEnv.put("TOKENPOOL_GATEWAY_ID", "idempotency-crash-gw");
        gatewayEnv.put("TOKENPOOL_REQUEST_TIMEOUT_MS", "2000");
        try (ProcessorProcess processor = new ProcessorProcess(env, "only");
                Gateway gateway = Gateway.start(
                        GatewaySettings.fromEnv(gatewayEnv), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            processor.start();
            processor.awaitRunning();
            String apiKey = ApiKeys.generate();
            gateway.saveProject(ProjectRecord.create("p-retry", "retry", ApiKeys.hash(apiKey), 1_000));
            Deadline.await(Duration.ofSeconds(30), gateway::isReady, () -> "gateway ready");
            URI tokens = URI.create("http://localhost:" + gateway.port() + "/v3/submission/tokens");
            HttpClient http = HttpClient.newHttpClient();
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> send(http, tokens, "POST", apiKey, "{\"tokenId\":[" + ids(100) + "]}", null)
                                    .statusCode()
                            == 200,
                    () -> "the project served");

            processor.kill9();
            HttpResponse<String> timedOut =
                    send(http, tokens, "DELETE", apiKey, "{\"count\":10,\"order\":\"asc\"}", "delete-ten");
            assertThat(timedOut.statusCode()).as(timedOut.body()).isEqualTo(504);

            processor.start();
            processor.awaitRunning();
            HttpResponse<String> retry =
                    send(http, tokens, "DELETE", apiKey, "{\"count\":10,\"order\":\"asc\"}", "delete-ten");
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(retry.headers().firstValue("Idempotent-Replayed"))
                    .as("the first attempt was applied when the processor came back; this is its result")
                    .contains("true");
            assertThat(retry.body()).contains("\"deleted\":10");

            processor.kill9();
            processor.start();
            processor.awaitRunning();
            HttpResponse<String> afterCrash =
                    send(http, tokens, "DELETE", apiKey, "{\"count\":10,\"order\":\"asc\"}", "delete-ten");
            assertThat(afterCrash.headers().firstValue("Idempotent-Replayed")).contains("true");
            assertThat(afterCrash.body()).isEqualTo(retry.body());

            HttpResponse<String> count = http.send(
                    HttpRequest.newBuilder(URI.create(tokens + "?type=count"))
                            .header("x-api-key", apiKey)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).as("10 deleted, once").contains("\"count\":90");
            http.close();
        }
    }

    private static String ids(int n) {
        return String.join(
                ",",
                IntStream.range(0, n)
                        .mapToObj(i -> "\"retry-%05d\"".formatted(i))
                        .toList());
    }

    private static HttpResponse<String> send(
            HttpClient http, URI tokens, String method, String apiKey, String body, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokens)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("x-api-key", apiKey)
                .header("Content-Type", "text/plain");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
