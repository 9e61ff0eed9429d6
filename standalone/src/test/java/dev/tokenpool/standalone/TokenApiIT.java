package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint end to end: HTTP → gateway → Kafka → processor → Kafka → gateway → HTTP. */
@ExtendWith(KafkaBroker.class)
class TokenApiIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("api-it");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String newProjectKey() throws Exception {
        return stack.createProject("project", null).get("apiKey").asText();
    }

    static JsonNode json(String text) throws Exception {
        return Json.parse(text.getBytes());
    }

    @Test
    void shouldAnswerPostWithTheSpecSuccessBody() throws Exception {
        String key = newProjectKey();
        var answer = stack.tokens(
                "POST", key, "{\"tokenId\": [\"user001a\", \"api.key.01\", \"token-123-abc\", \"session_data_01\"]}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(answer.json()).isEqualTo(json("""
                {"success":true,"message":"All tokens are now in the pool",
                 "summary":{"totalSubmitted":4,"currentCount":4,"processed":4,"failed":0}}"""));
    }

    @Test
    void shouldHandlePartsOfPostAndDeleteAsTheSpecExamplesSay() throws Exception {
        String key = newProjectKey();
        stack.tokens("POST", key, "{\"tokenId\":[\"tokenA-01\",\"tokenB-01\",\"tokenC-01\"]}");
        var added = stack.tokens("POST", key, "{\"tokenId\":[\"tokenA-01\",\"tokenC-01\",\"tokenD-01\"]}");
        assertThat(added.json().path("summary").path("currentCount").asInt()).isEqualTo(4);

        var deleted =
                stack.tokens("DELETE", key, "{\"tokenId\":[\"tokenA-01\",\"tokenC-01\",\"tokenD-01\",\"tokenE-01\"]}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(json("""
                {"success":false,"message":"Successfully deleted 3 tokens",
                 "summary":{"totalSubmitted":4,"deleted":3,"notFound":1,"failed":0},
                 "details":{"notFound":["tokenE-01"]}}"""));
        assertThat(stack.getToken(key, "tokenB-01").json().path("tokenId").asText())
                .isEqualTo("tokenB-01");
        assertThat(stack.getToken(key, "tokenA-01").errorCode()).isEqualTo("token_id_not_found");
    }

    @Test
    void shouldAnswerGetWithTheRegistrationTime() throws Exception {
        String key = newProjectKey();
        stack.tokens("POST", key, "{\"tokenId\":[\"user001a\"]}");
        var answer = stack.getToken(key, "user001a");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("success").asBoolean()).isTrue();
        assertThat(answer.json().path("tokenId").asText()).isEqualTo("user001a");
        assertThat(answer.json().path("data").path("tokenId").asText()).isEqualTo("user001a");
        assertThat(answer.json().path("data").path("expired").asBoolean()).isFalse();
        assertThat(java.time.Instant.parse(
                        answer.json().path("data").path("updateTime").asText()))
                .isBetween(
                        java.time.Instant.now().minusSeconds(60),
                        java.time.Instant.now().plusSeconds(1));
        assertThat(stack.getToken(key, "missing01").status()).isEqualTo(400);
    }

    @Test
    void shouldTakeTheOldestOrTheNewestInATimeBasedDelete() throws Exception {
        String key = newProjectKey();
        stack.tokens("POST", key, "{\"tokenId\":[\"first-001\",\"second-02\"]}");
        stack.tokens("POST", key, "{\"tokenId\":[\"third-003\",\"fourth-04\"]}");
        assertThat(stack.tokens("DELETE", key, "{\"count\": 1, \"order\": \"asc\"}")
                        .json())
                .isEqualTo(json("""
                {"success":true,"message":"Successfully deleted 1 tokens","summary":{"deleted":1,"failed":0}}"""));
        stack.tokens("DELETE", key, "{\"count\": 1, \"order\": \"desc\"}");
        assertThat(stack.getToken(key, "first-001").status()).isEqualTo(400);
        assertThat(stack.getToken(key, "fourth-04").status()).isEqualTo(400);
        assertThat(stack.getToken(key, "second-02").status()).isEqualTo(200);
        assertThat(stack.tokens("DELETE", key, "{\"count\": 5000, \"order\": \"asc\"}")
                        .json()
                        .path("summary")
                        .path("deleted")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void shouldAnswerBadRequestsWithTheSpecErrorCodes() throws Exception {
        String key = newProjectKey();
        assertThat(stack.tokens("POST", "wrong-key", "{\"tokenId\":[\"user001a\"]}")
                        .errorCode())
                .isEqualTo("invalid_project");
        assertThat(stack.call(
                                stack.gateway(),
                                "POST",
                                "/v3/submission/tokens",
                                "{\"tokenId\":[\"user001a\"]}",
                                "Content-Type",
                                "text/plain")
                        .errorCode())
                .isEqualTo("invalid_project");
        assertThat(stack.tokens("PUT", key, "{}").errorCode()).isEqualTo("invalid_path");
        assertThat(stack.tokens("PATCH", key, "{}").status()).isEqualTo(400);
        assertThat(stack.tokens("POST", key, "{\"tokenId\": [").errorCode()).isEqualTo("invalid_payload");
        assertThat(stack.tokens("POST", key, "").errorCode()).isEqualTo("invalid_payload");
        assertThat(stack.tokens("POST", key, "[\"user001a\"]").errorCode()).isEqualTo("invalid_payload");
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"user001a\"],\"extra\":true}")
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(stack.call(
                                stack.gateway(),
                                "POST",
                                "/v3/submission/tokens",
                                "{\"tokenId\":[\"user001a\"]}",
                                "x-api-key",
                                key,
                                "Content-Type",
                                "application/xml")
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(stack.tokens("POST", key, "{\"tokenId\": \"user001a\"}").errorCode())
                .isEqualTo("invalid_token_id");
        assertThat(stack.tokens("POST", key, "{\"tokenId\": []}").errorCode()).isEqualTo("invalid_token_id");
        assertThat(stack.tokens("DELETE", key, "{\"count\": 5001, \"order\": \"asc\"}")
                        .errorCode())
                .isEqualTo("delete_token_limit_exceeded");
        assertThat(stack.tokens("DELETE", key, "{\"count\": 0, \"order\": \"asc\"}")
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(stack.tokens("DELETE", key, "{\"count\": 3, \"order\": \"up\"}")
                        .errorCode())
                .isEqualTo("invalid_order");
        assertThat(stack.call(stack.gateway(), "GET", "/v3/submission/tokens?type=all", null, "x-api-key", key)
                        .errorCode())
                .isEqualTo("invalid_query_parameters");

        var format = stack.tokens("POST", key, "{\"tokenId\":[\"short01\",\"user001a\"]}");
        assertThat(format.json()).isEqualTo(json("""
                {"errorCode":"invalid_token_id_format",
                 "errorMessage":"One or more token IDs do not meet the required format specifications.",
                 "errorDetails":{"invalidTokens":[{"tokenId":"short01","errorCode":"invalid_token_id_length",
                   "errorMessage":"Token ID length must be between 8 and 64 characters. Please adjust the token length."}]}}"""));
        assertThat(stack.getToken(key, "user001a").errorCode())
                .as("nothing was written")
                .isEqualTo("token_id_not_found");

        String ids = IntStream.range(0, 501)
                .mapToObj(i -> "\"token" + (100000 + i) + "\"")
                .collect(Collectors.joining(","));
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[" + ids + "]}").errorCode())
                .isEqualTo("request_token_limit_exceeded");
    }

    @Test
    void shouldRefuseAnOversizedBodyWith413() throws Exception {
        String key = newProjectKey();
        var answer = stack.tokens("POST", key, "{\"tokenId\":[\"" + "a".repeat(200_000) + "\"]}");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo("payload_too_large");
    }

    @Test
    void shouldEnforceEachProjectsOwnPoolLimitInTheProcessor() throws Exception {
        JsonNode project = stack.createProject("small", 2L);
        String key = project.get("apiKey").asText();
        String projectId = project.get("projectId").asText();
        awaitPoolLimit(key, "{\"tokenId\":[\"limit-001\",\"limit-002\",\"limit-003\"]}");
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"limit-001\",\"limit-002\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"limit-003\"]}").errorCode())
                .isEqualTo("token_limit_exceeded");

        var patched = stack.call(
                stack.gateway(),
                "PATCH",
                "/admin/projects/" + projectId,
                "{\"poolLimit\":3}",
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(patched.json().path("poolLimit").asLong()).isEqualTo(3);
        Deadline.await(
                Duration.ofSeconds(30),
                () -> stack.tokens("POST", key, "{\"tokenId\":[\"limit-003\"]}").status() == 200,
                () -> "the raised limit takes effect");
    }

    /** The processor learns of a new project's limit through the registry topic: wait until it applies. */
    private static void awaitPoolLimit(String key, String tooMany) throws Exception {
        Deadline.await(
                Duration.ofSeconds(30),
                () -> {
                    if (stack.tokens("POST", key, tooMany).errorCode().equals("token_limit_exceeded")) {
                        return true;
                    }
                    stack.tokens("DELETE", key, tooMany);
                    return false;
                },
                () -> "the processor applies the project's pool limit");
    }

    @Test
    void shouldCreateReadUpdateAndRotateKeysThroughTheAdminApi() throws Exception {
        assertThat(stack.call(stack.gateway(), "POST", "/admin/projects", "{\"name\":\"x\"}")
                        .status())
                .isEqualTo(401);
        assertThat(stack.call(stack.gateway(), "POST", "/admin/projects", "{\"name\":\"x\"}", "x-admin-key", "wrong")
                        .status())
                .isEqualTo(401);
        assertThat(stack.call(
                                stack.gateway(),
                                "POST",
                                "/admin/projects",
                                "{\"name\":\"x\",\"poolLimit\":0}",
                                "x-admin-key",
                                TokenPoolStack.ADMIN_KEY)
                        .errorCode())
                .isEqualTo("invalid_payload");

        JsonNode created = stack.createProject("acme", null);
        String projectId = created.get("projectId").asText();
        String oldKey = created.get("apiKey").asText();
        assertThat(created.get("poolLimit").asLong()).isEqualTo(100_000);

        var read = stack.call(
                stack.gateway(), "GET", "/admin/projects/" + projectId, null, "x-admin-key", TokenPoolStack.ADMIN_KEY);
        assertThat(read.json().path("name").asText()).isEqualTo("acme");
        assertThat(read.json().has("apiKey")).as("keys are shown only once").isFalse();
        assertThat(stack.call(
                                stack.gateway(),
                                "GET",
                                "/admin/projects/nope",
                                null,
                                "x-admin-key",
                                TokenPoolStack.ADMIN_KEY)
                        .status())
                .isEqualTo(404);

        String newKey = stack.rotateApiKey(projectId);
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(stack.getToken(oldKey, "user001a").errorCode()).isEqualTo("invalid_project");
        assertThat(stack.getToken(newKey, "user001a").errorCode()).isEqualTo("token_id_not_found");
    }

    @Test
    void shouldServeHealthMetricsAndOpenApi() throws Exception {
        assertThat(stack.call(stack.gateway(), "GET", "/health/live", null).status())
                .isEqualTo(200);
        assertThat(stack.call(stack.gateway(), "GET", "/health/ready", null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("UP");
        String key = newProjectKey();
        stack.tokens("POST", key, "{\"tokenId\":[\"metric-01\"]}");
        String metrics = stack.call(stack.gateway(), "GET", "/metrics", null).text();
        assertThat(metrics).contains("tokenpool_gateway_requests_total{operation=\"add_tokens\",status=\"200\"}");
        assertThat(stack.call(stack.gateway(), "GET", "/openapi.yaml", null).text())
                .contains("/v3/submission/tokens");
    }
}
