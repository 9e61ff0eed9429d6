package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The token lifecycle over HTTP on the real broker: the list, the count, use races, expiry, events and audit. */
@ExtendWith(KafkaBroker.class)
class TokenLifecycleIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("lifecycle-it");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static JsonNode createProject(String body) throws Exception {
        var created =
                stack.call(stack.gateway(), "POST", "/admin/projects", body, "x-admin-key", TokenPoolStack.ADMIN_KEY);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        stack.awaitApiKey(stack.gateway(), created.json().path("apiKey").asText());
        return created.json();
    }

    static String tokenBody(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"tokenId\":[", "]}"));
    }

    @Test
    void shouldListTwentyFiveThousandTokensInThreePagesAndCountThem() throws Exception {
        String key = createProject("{\"name\":\"listed\"}").path("apiKey").asText();
        List<String> ids = IntStream.range(0, 25_000)
                .mapToObj(i -> "listed-%06d".formatted(i))
                .toList();
        for (int i = 0; i < ids.size(); i += 500) {
            assertThat(stack.tokens("POST", key, tokenBody(ids.subList(i, i + 500)))
                            .status())
                    .isEqualTo(200);
        }
        var count = stack.call(stack.gateway(), "GET", "/v3/submission/tokens?type=count", null, "x-api-key", key);
        assertThat(count.json().toString()).isEqualTo("{\"success\":true,\"count\":25000}");

        List<String> listed = new ArrayList<>();
        String query = "";
        int pages = 0;
        do {
            var page = stack.call(stack.gateway(), "GET", "/v3/submission/tokens" + query, null, "x-api-key", key);
            assertThat(page.status())
                    .as(page.text().substring(0, Math.min(300, page.text().length())))
                    .isEqualTo(200);
            JsonNode json = page.json();
            assertThat(json.path("count").asLong()).isEqualTo(25_000);
            json.path("data").forEach(entry -> listed.add(entry.path("tokenId").asText()));
            pages++;
            query = json.has("nextPageKeyId")
                    ? "?nextPageKeyId=" + json.path("nextPageKeyId").asText() + "&nextPageKeyTime="
                            + URLEncoder.encode(json.path("nextPageKeyTime").asText(), StandardCharsets.UTF_8)
                    : null;
        } while (query != null);
        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyElementsOf(ids);
    }

    @Test
    void shouldLetExactlyOneOfThirtyTwoConcurrentUsersUseAOneUseToken() throws Exception {
        String key = createProject("{\"name\":\"one-use\",\"expiration\":{\"maxUses\":1}}")
                .path("apiKey")
                .asText();
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"once-only-01\"]}").status())
                .isEqualTo(200);
        ExecutorService users = Executors.newFixedThreadPool(32);
        try {
            List<Callable<TokenPoolStack.Answer>> uses = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                uses.add(() -> stack.call(
                        stack.gateway(),
                        "POST",
                        "/v3/submission/tokens/use",
                        "{\"tokenId\":\"once-only-01\"}",
                        "x-api-key",
                        key));
            }
            List<TokenPoolStack.Answer> answers = new ArrayList<>();
            for (Future<TokenPoolStack.Answer> answer : users.invokeAll(uses)) {
                answers.add(answer.get());
            }
            assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(1);
            assertThat(answers)
                    .filteredOn(answer -> answer.status() != 200)
                    .allMatch(answer -> answer.errorCode().equals("token_id_not_found"));
            JsonNode winner = answers.stream()
                    .filter(answer -> answer.status() == 200)
                    .findFirst()
                    .orElseThrow()
                    .json();
            assertThat(winner.path("data").path("uses").asInt()).isEqualTo(1);
            assertThat(winner.path("data").path("expired").asBoolean()).isTrue();
        } finally {
            users.shutdownNow();
        }
    }

    @Test
    void shouldDeleteATwoSecondTokenWithinThreeSecondsWithItsEvent() throws Exception {
        JsonNode project = createProject("{\"name\":\"short-lived\",\"expiration\":{\"ttlSeconds\":2}}");
        String key = project.path("apiKey").asText();
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"short-lived-01\"]}")
                        .status())
                .isEqualTo(200);
        long registered = System.nanoTime();
        Deadline.await(
                Duration.ofSeconds(5),
                () -> stack.getToken(key, "short-lived-01").errorCode().equals("token_id_not_found"),
                () -> "the token leaves");
        assertThat(Duration.ofNanos(System.nanoTime() - registered)).isLessThan(Duration.ofSeconds(3));
        List<ConsumerRecord<String, byte[]>> events = TopicReader.readAll(stack.name + ".events", 1);
        List<JsonNode> mine = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> event : events) {
            if (event.key().equals(project.path("projectId").asText())) {
                mine.add(Json.parse(event.value()));
            }
        }
        assertThat(mine).hasSize(1);
        assertThat(mine.getFirst().path("webhook_trigger").asText()).isEqualTo("token_expired");
        assertThat(mine.getFirst().path("token_id").asText()).isEqualTo("short-lived-01");
        assertThat(mine.getFirst().path("expired_condition").asText()).isEqualTo("time");
        assertThat(mine.getFirst().path("expected_expired_at").asText()).isNotEmpty();
    }

    @Test
    void shouldAuditEveryMutationWithoutAnyTokenId() throws Exception {
        JsonNode project = createProject("{\"name\":\"audited\"}");
        String key = project.path("apiKey").asText();
        String projectId = project.path("projectId").asText();
        Set<String> ids = new HashSet<>(List.of("audited-0001", "audited-0002", "audited-0003"));
        stack.tokens("POST", key, "{\"tokenId\":[\"audited-0001\",\"audited-0002\",\"audited-0003\"]}");
        stack.call(
                stack.gateway(),
                "POST",
                "/v3/submission/tokens/use",
                "{\"tokenId\":\"audited-0001\"}",
                "x-api-key",
                key);
        stack.tokens("DELETE", key, "{\"tokenId\":[\"audited-0002\"]}");
        stack.tokens("DELETE", key, "{\"count\":1,\"order\":\"asc\"}");
        stack.tokens(
                "POST", key, "{\"tokenId\":[\"audited-0001\",\"bad\"]}"); // refused at the gateway: never reaches Kafka

        List<JsonNode> audit = new ArrayList<>();
        Deadline.await(
                Duration.ofSeconds(10),
                () -> {
                    audit.clear();
                    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(stack.name + ".audit", 1)) {
                        if (record.key().equals(projectId)) {
                            audit.add(Json.parse(record.value()));
                        }
                    }
                    return audit.size() >= 4;
                },
                () -> "four audit records of " + projectId + ": " + audit);
        assertThat(audit)
                .extracting(record -> record.path("action").asText())
                .containsExactly("add_tokens", "use_token", "delete_tokens", "delete_by_order");
        assertThat(audit).allMatch(record -> record.path("actor").asText().matches("api-key:[0-9a-f]{12}"));
        assertThat(audit).allMatch(record -> record.path("correlationId").isTextual());
        for (JsonNode record : audit) {
            ids.forEach(id -> assertThat(record.toString()).doesNotContain(id));
        }
    }
}
