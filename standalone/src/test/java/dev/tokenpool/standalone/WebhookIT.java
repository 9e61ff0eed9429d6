package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.standalone.WebhookReceiver.Behaviour;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Webhooks on the real broker, to a real HTTP receiver that misbehaves as endpoints do: events arrive signed (and
 * encrypted where the project encrypts), failed attempts are retried with the same webhook-id until the receiver takes
 * them, a dead endpoint holds up no other project, a crash between attempts loses nothing, and an event out of
 * attempts is dead-lettered and its endpoint reported failing.
 */
@ExtendWith(KafkaBroker.class)
@Execution(ExecutionMode.CONCURRENT) // each test waits out retry schedules on projects of its own
class WebhookIT {
    /** Waits short enough for a test, growing as the default's do; 9 attempts over about 45 s. */
    static final String SCHEDULE = "1s,1s,2s,3s,5s,8s,10s,15s";

    static final Map<String, String> SETTINGS = Map.of(
            "TOKENPOOL_WEBHOOK_ALLOW_HTTP", "true",
            "TOKENPOOL_WEBHOOK_ALLOW_PRIVATE", "true",
            "TOKENPOOL_WEBHOOK_TIMEOUT_MS", "1000",
            "TOKENPOOL_WEBHOOK_RETRY_SCHEDULE", SCHEDULE);

    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.startOn("webhook-it", KafkaBroker.bootstrapServers(), SETTINGS);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A project whose tokens expire at their first use and stay, with the webhook {@code webhook} (JSON). */
    static JsonNode project(String name, String webhook, String more) throws Exception {
        var created = stack.call(
                stack.gateway(),
                "POST",
                "/admin/projects",
                "{\"name\":\"" + name + "\",\"expiration\":{\"maxUses\":1},\"deleteOnExpiration\":false,"
                        + "\"webhook\":" + webhook + more + "}",
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        stack.awaitApiKey(stack.gateway(), created.json().path("apiKey").asText());
        return created.json();
    }

    static String hook(String url) {
        return "{\"url\":\"" + url + "\"}";
    }

    /** Registers the token and uses it: its token_expired event follows. */
    static void expire(String apiKey, String tokenId) throws Exception {
        assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"" + tokenId + "\"]}")
                        .status())
                .isEqualTo(200);
        use(apiKey, tokenId);
    }

    static TokenPoolStack.Answer use(String apiKey, String tokenId) throws Exception {
        return stack.call(
                stack.gateway(),
                "POST",
                "/v3/submission/tokens/use",
                "{\"tokenId\":\"" + tokenId + "\"}",
                "x-api-key",
                apiKey,
                "Content-Type",
                "application/json");
    }

    /** Standard Webhooks verification, written from the specification, not from tokenpool's code. */
    static boolean verifies(WebhookReceiver.Request request, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.text();
        String expected =
                "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        return List.of(request.header("webhook-signature").split(" ")).contains(expected);
    }

    static List<WebhookReceiver.Request> await(WebhookReceiver receiver, int delivered, Duration within)
            throws Exception {
        Deadline.await(
                within, () -> receiver.delivered().size() >= delivered, () -> "deliveries: " + receiver.requests());
        return receiver.delivered();
    }

    @Test
    void shouldDeliverEachEventOnceSignedAsStandardWebhooksSays() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> WebhookReceiver.OK)) {
            JsonNode project = project("signed", hook(receiver.url("/hooks/tokenpool?src=it")), "");
            String secret = project.path("webhook").path("secret").asText();
            assertThat(secret).startsWith("whsec_");
            String key = project.path("apiKey").asText();

            expire(key, "signed-0001");
            assertThat(use(key, "signed-0001").json().path("errorCode").asText())
                    .isEqualTo("token_expired");

            List<WebhookReceiver.Request> delivered = await(receiver, 2, Duration.ofSeconds(30));
            Thread.sleep(2_000); // nothing more comes
            assertThat(receiver.requests()).hasSize(2);
            JsonNode expired = Json.parse(delivered.get(0).body());
            JsonNode reuse = Json.parse(delivered.get(1).body());
            assertThat(List.of(
                            expired.path("webhook_trigger").asText(),
                            reuse.path("webhook_trigger").asText()))
                    .containsExactlyInAnyOrder("token_expired", "token_reuse_attempted");
            for (WebhookReceiver.Request request : delivered) {
                JsonNode event = Json.parse(request.body());
                assertThat(verifies(request, secret))
                        .as(request.headers().toString())
                        .isTrue();
                assertThat(request.header("webhook-id"))
                        .isEqualTo(event.path("event_id").asText())
                        .startsWith("evt_");
                assertThat(Long.parseLong(request.header("webhook-timestamp")))
                        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
                assertThat(request.header(":request-line")).isEqualTo("POST /hooks/tokenpool?src=it HTTP/1.1");
                assertThat(request.header("content-type")).isEqualTo("application/json");
                assertThat(event.path("token_id").asText()).isEqualTo("signed-0001");
                assertThat(event.path("expired_condition").asText()).isEqualTo("count");
            }
            var shown = stack.call(
                    stack.gateway(),
                    "GET",
                    "/admin/projects/" + project.path("projectId").asText(),
                    null,
                    "x-admin-key",
                    TokenPoolStack.ADMIN_KEY);
            assertThat(shown.text()).doesNotContain(secret.substring(6));
            assertThat(shown.json()
                            .path("webhook")
                            .path("status")
                            .path("failing")
                            .asBoolean())
                    .isFalse();
        }
    }

    @Test
    void shouldEncryptTheEventsOfAProjectThatEncrypts() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> WebhookReceiver.OK)) {
            JsonNode project = project(
                    "sealed",
                    hook(receiver.url("/in")),
                    ",\"secureTransmission\":{\"enabled\":true,\"mode\":\"gcm\",\"key\":\"secretKey\"}");
            TransmissionCipher cipher = TransmissionCipher.forSecret(
                    TransmissionCipher.Mode.GCM, project.path("secretKey").asText());
            String key = project.path("apiKey").asText();
            assertThat(stack.tokens("POST", key, cipher.encrypt("{\"tokenId\":[\"sealed-0001\"]}"))
                            .status())
                    .isEqualTo(200);
            assertThat(stack.call(
                                    stack.gateway(),
                                    "POST",
                                    "/v3/submission/tokens/use",
                                    cipher.encrypt("{\"tokenId\":\"sealed-0001\"}"),
                                    "x-api-key",
                                    key)
                            .status())
                    .isEqualTo(200);

            WebhookReceiver.Request request =
                    await(receiver, 1, Duration.ofSeconds(30)).getFirst();
            JsonNode body = Json.parse(request.body());
            assertThat(body.fieldNames()).toIterable().containsExactly("data");
            JsonNode event =
                    Json.parse(cipher.decrypt(body.path("data").asText()).getBytes(StandardCharsets.UTF_8));
            assertThat(event.path("token_id").asText()).isEqualTo("sealed-0001");
            assertThat(verifies(request, project.path("webhook").path("secret").asText()))
                    .isTrue();
        }
    }

    @Test
    void shouldRetryAFailingEndpointWithTheSameWebhookIdUntilItTakesTheEvent() throws Exception {
        try (WebhookReceiver receiver =
                new WebhookReceiver(n -> n <= 3 ? new Behaviour.Answer(500) : WebhookReceiver.OK)) {
            JsonNode project =
                    project("retried", "{\"url\":\"" + receiver.url("/in") + "\",\"events\":[\"token_expired\"]}", "");
            expire(project.path("apiKey").asText(), "retried-0001");

            await(receiver, 1, Duration.ofSeconds(30));
            List<WebhookReceiver.Request> attempts = receiver.requests();
            assertThat(attempts).hasSize(4);
            assertThat(attempts.stream().map(r -> r.header("webhook-id")).distinct())
                    .hasSize(1);
            assertThat(attempts.getLast().receivedAtMillis()
                            - attempts.getFirst().receivedAtMillis())
                    .as("three waits of the schedule: 1 s, 1 s, 2 s")
                    .isGreaterThanOrEqualTo(3_500);
        }
    }

    @Test
    void shouldDeliverLaterToAnEndpointThatWasDownSlowOrClosingConnections() throws Exception {
        int downPort = KafkaBroker.freePort();
        try (WebhookReceiver slow = new WebhookReceiver(
                        n -> n <= 2 ? new Behaviour.Late(Duration.ofSeconds(3), 200) : WebhookReceiver.OK);
                WebhookReceiver closing =
                        new WebhookReceiver(n -> n <= 2 ? new Behaviour.Close() : WebhookReceiver.OK)) {
            String down = project("down", hook("http://127.0.0.1:" + downPort + "/in"), "")
                    .path("apiKey")
                    .asText();
            expire(down, "down-0001");
            expire(project("slow", hook(slow.url("/in")), "").path("apiKey").asText(), "slow-0001");
            expire(
                    project("closing", hook(closing.url("/in")), "")
                            .path("apiKey")
                            .asText(),
                    "closing-0001");

            assertThat(await(closing, 1, Duration.ofSeconds(30))).hasSize(1);
            assertThat(closing.requests()).hasSize(3);
            await(slow, 1, Duration.ofSeconds(30));
            assertThat(slow.requests().size())
                    .as("two answered too late, then one in time")
                    .isGreaterThanOrEqualTo(3);
            assertThat(slow.requests().stream().map(r -> r.header("webhook-id")).distinct())
                    .hasSize(1);

            Thread.sleep(30_000 - 10_000); // the down endpoint stays down 30 s in all
            try (WebhookReceiver up = new WebhookReceiver(downPort, n -> WebhookReceiver.OK)) {
                WebhookReceiver.Request request =
                        await(up, 1, Duration.ofSeconds(30)).getFirst();
                assertThat(Json.parse(request.body()).path("token_id").asText()).isEqualTo("down-0001");
            }
        }
    }

    @Test
    void shouldDeliverAHealthyProjectsEventsWhileAnotherProjectsEndpointHangs() throws Exception {
        try (WebhookReceiver hanging = new WebhookReceiver(n -> new Behaviour.Hang());
                WebhookReceiver healthy = new WebhookReceiver(n -> WebhookReceiver.OK)) {
            String stuck = project("stuck", hook(hanging.url("/in")), "")
                    .path("apiKey")
                    .asText();
            String fine =
                    project("fine", hook(healthy.url("/in")), "").path("apiKey").asText();
            String tokens = IntStream.range(0, 100)
                    .mapToObj(i -> "\"stuck-%04d\"".formatted(i))
                    .collect(Collectors.joining(","));
            assertThat(stack.tokens("POST", stuck, "{\"tokenId\":[" + tokens + "]}")
                            .status())
                    .isEqualTo(200);
            for (int i = 0; i < 100; i++) {
                use(stuck, "stuck-%04d".formatted(i));
            }
            Deadline.await(
                    Duration.ofSeconds(10),
                    () -> hanging.requests().size() >= 8,
                    () -> "the hanging endpoint was tried");

            long before = System.currentTimeMillis();
            expire(fine, "fine-0001");
            WebhookReceiver.Request request =
                    await(healthy, 1, Duration.ofSeconds(10)).getFirst();
            assertThat(request.receivedAtMillis() - before)
                    .as("the healthy endpoint's event, while 100 events of the hanging one wait")
                    .isLessThan(3_000);
        }
    }

    @Test
    void shouldDeadLetterAnEventOutOfAttemptsAndReportTheEndpointFailingUntilItRecovers() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> new Behaviour.Answer(503))) {
            JsonNode project = project("failing", hook(receiver.url("/in")), "");
            String id = project.path("projectId").asText();
            expire(project.path("apiKey").asText(), "failing-0001");

            int attempts = SCHEDULE.split(",").length + 1;
            Deadline.await(
                    Duration.ofSeconds(90),
                    () -> failing(id),
                    () -> "failing; attempts: " + receiver.requests().size());
            assertThat(receiver.requests()).hasSize(attempts);
            String eventId = receiver.requests().getFirst().header("webhook-id");
            JsonNode letter = Json.parse(TopicReader.readAll("webhook-it.webhooks.dead-letters", 1).stream()
                    .filter(record -> new String(record.value(), StandardCharsets.UTF_8).contains(eventId))
                    .findFirst()
                    .orElseThrow()
                    .value());
            assertThat(letter.path("projectId").asText()).isEqualTo(id);
            assertThat(letter.path("failedAttempts").asInt()).isEqualTo(attempts);
            assertThat(letter.path("lastError").asText()).isEqualTo("answered 503");
            assertThat(stack.call(stack.gateway(), "GET", "/metrics", null).text())
                    .containsPattern("(?m)^tokenpool_webhook_failing_endpoints [1-9]")
                    .containsPattern("(?m)^tokenpool_webhook_dead_lettered_total [1-9]");

            receiver.behave(n -> WebhookReceiver.OK);
            use(project.path("apiKey").asText(), "failing-0001"); // a reuse: the next event
            Deadline.await(Duration.ofSeconds(30), () -> !failing(id), () -> "healthy again");
        }
    }

    static boolean failing(String projectId) {
        try {
            return stack.call(
                            stack.gateway(),
                            "GET",
                            "/admin/projects/" + projectId,
                            null,
                            "x-admin-key",
                            TokenPoolStack.ADMIN_KEY)
                    .json()
                    .path("webhook")
                    .path("status")
                    .path("failing")
                    .asBoolean();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void shouldLoseNothingWhenDeliveryIsKilledBetweenAttempts() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> new Behaviour.Answer(500));
                StandaloneProcess standalone = new StandaloneProcess(
                        DataDirs.dir("webhook-kill"),
                        Map.of(
                                "TOKENPOOL_WEBHOOK_ALLOW_HTTP", "true",
                                "TOKENPOOL_WEBHOOK_ALLOW_PRIVATE", "true",
                                "TOKENPOOL_WEBHOOK_RETRY_SCHEDULE", "2s,3s,3s,3s,3s,3s,3s,3s,3s,3s,3s,3s"))) {
            standalone.start();
            JsonNode project = Json.parse(standalone
                    .admin(
                            "POST",
                            "/admin/projects",
                            "{\"name\":\"killed\",\"expiration\":{\"maxUses\":1},\"webhook\":{\"url\":\""
                                    + receiver.url("/in") + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
            String key = project.path("apiKey").asText();
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> standalone
                                    .call(
                                            "POST",
                                            "/v3/submission/tokens",
                                            "{\"tokenId\":[\"killed-0001\"]}",
                                            "x-api-key",
                                            key)
                                    .statusCode()
                            == 200,
                    () -> "token added");
            standalone.call("POST", "/v3/submission/tokens/use", "{\"tokenId\":\"killed-0001\"}", "x-api-key", key);
            Deadline.await(Duration.ofSeconds(30), () -> !receiver.requests().isEmpty(), () -> "a first attempt");

            standalone.kill9();
            receiver.behave(n -> WebhookReceiver.OK);
            standalone.start();

            WebhookReceiver.Request delivered =
                    await(receiver, 1, Duration.ofSeconds(60)).getFirst();
            assertThat(Set.copyOf(receiver.requests().stream()
                            .map(r -> r.header("webhook-id"))
                            .toList()))
                    .containsExactly(delivered.header("webhook-id"));
            assertThat(Json.parse(delivered.body()).path("token_id").asText()).isEqualTo("killed-0001");
        }
    }
}
