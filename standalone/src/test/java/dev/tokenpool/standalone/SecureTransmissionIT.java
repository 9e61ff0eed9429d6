package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.MasterKeys;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.TransmissionCipher.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Secure Data Transmission end to end on the real broker: an encrypted project's answers decrypt to
 * exactly what a plain project is answered, and a request that is not encrypted under its key changes
 * nothing.
 */
@ExtendWith(KafkaBroker.class)
class SecureTransmissionIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("secure-it");
        stack.addGateway("gw-b");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A project with encryption on, and the client's view of it: its API key and its cipher. */
    record Client(String projectId, String apiKey, TransmissionCipher cipher) {
        /** A token API call with the body encrypted (as the envelope or bare) and the answer decrypted. */
        JsonNode call(Gateway gateway, String method, String query, String plainBody, boolean envelope)
                throws Exception {
            String body = null;
            if (plainBody != null) {
                String ciphertext = cipher.encrypt(plainBody);
                body = envelope ? "{\"body\":\"" + ciphertext + "\"}" : ciphertext;
            }
            var answer =
                    stack.tokens(gateway, method, query, apiKey, body, envelope ? "application/json" : "text/plain");
            JsonNode json = answer.json();
            assertThat(json.size())
                    .as("an encrypted answer holds only data: " + answer.text())
                    .isEqualTo(1);
            ObjectNode plain = (ObjectNode)
                    Json.parse(cipher.decrypt(json.path("data").asText()).getBytes());
            plain.put("status", answer.status());
            return plain;
        }
    }

    static Client encryptedProject(String name, Mode mode, String key) throws Exception {
        var created = stack.call(
                stack.gateway(),
                "POST",
                "/admin/projects",
                "{\"name\":\"" + name + "\",\"secureTransmission\":{\"enabled\":true,\"mode\":\"" + mode.wire()
                        + "\",\"key\":\"" + key + "\"}}",
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode project = created.json();
        assertThat(project.path("secureTransmission").path("enabled").asBoolean())
                .isTrue();
        String apiKey = project.path("apiKey").asText();
        String secret = key.equals("secretKey") ? project.path("secretKey").asText() : apiKey;
        assertThat(secret).as("the secret is answered at creation").isNotEmpty();
        for (Gateway gateway : stack.gateways) {
            stack.awaitApiKey(gateway, apiKey);
        }
        return new Client(project.path("projectId").asText(), apiKey, TransmissionCipher.forSecret(mode, secret));
    }

    /** The plain project's answer, with its status, for comparing. */
    static JsonNode plain(String apiKey, String method, String query, String body) throws Exception {
        var answer = stack.tokens(stack.gateway(), method, query, apiKey, body, "text/plain");
        ObjectNode json = (ObjectNode) answer.json();
        json.put("status", answer.status());
        return json;
    }

    /** Drops times (registration times differ between the two projects); everything else must match. */
    static JsonNode withoutTimes(JsonNode json) {
        JsonNode copy = json.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<String> names = object.fieldNames();
            List<String> times = new ArrayList<>();
            names.forEachRemaining(name -> {
                if (name.endsWith("Time") || name.endsWith("At")) {
                    times.add(name);
                }
            });
            object.remove(times);
        }
        node.forEach(SecureTransmissionIT::strip);
    }

    /**
     * A retry with the same Idempotency-Key is recognised by what it asks, not by its ciphertext (GCM encrypts the
     * same body differently each time), and its stored answer is encrypted afresh for the retry.
     */
    @Test
    void shouldAnswerAnEncryptedRetryWithTheFirstAnswerEncryptedAfresh() throws Exception {
        Client client = encryptedProject("secure-retries", Mode.GCM, "apiKey");
        String plain = "{\"tokenId\":[\"secure-retry-01\",\"secure-retry-02\"]}";
        List<TokenPoolStack.Answer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            answers.add(stack.call(
                    stack.gateway(),
                    "POST",
                    "/v3/submission/tokens",
                    "{\"body\":\"" + client.cipher().encrypt(plain) + "\"}",
                    "x-api-key",
                    client.apiKey(),
                    "Content-Type",
                    "application/json",
                    "Idempotency-Key",
                    "secure-retry"));
        }
        TokenPoolStack.Answer first = answers.get(0);
        TokenPoolStack.Answer retry = answers.get(1);
        assertThat(retry.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        String firstData = first.json().path("data").asText();
        String retryData = retry.json().path("data").asText();
        assertThat(retryData).as("encrypted afresh").isNotEqualTo(firstData);
        assertThat(client.cipher().decrypt(retryData)).isEqualTo(client.cipher().decrypt(firstData));
        assertThat(Json.parse(client.cipher().decrypt(retryData).getBytes())
                        .path("summary")
                        .path("processed")
                        .asInt())
                .isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} with the {1}")
    @CsvSource({"ECB, apiKey", "GCM, apiKey", "ECB, secretKey", "GCM, secretKey"})
    void shouldAnswerEncryptedExactlyWhatAPlainProjectIsAnswered(Mode mode, String key) throws Exception {
        Client client = encryptedProject("enc-" + mode.wire() + "-" + key, mode, key);
        String plainKey = stack.createProject("plain-" + mode.wire() + "-" + key, 100L)
                .path("apiKey")
                .asText();
        Gateway other = stack.gateways.get(1);
        record Step(String method, String query, String body) {}
        List<Step> steps = List.of(
                new Step("POST", "", "{\"tokenId\":[\"enc-0001\",\"enc-0002\",\"enc-0003\",\"enc-0004\",\"no\"]}"),
                new Step("POST", "", "{\"tokenId\":[\"enc-0005\"]}"),
                new Step("GET", "?tokenId=enc-0002", null),
                new Step("DELETE", "", "{\"tokenId\":[\"enc-0001\",\"enc-0009\"]}"),
                new Step("DELETE", "", "{\"count\":2,\"order\":\"asc\"}"),
                new Step("GET", "?tokenId=enc-0002", null),
                new Step("GET", "?tokenId=enc-0005", null),
                new Step("GET", "?size=1", null),
                new Step("DELETE", "", "{\"count\":0,\"order\":\"asc\"}"),
                new Step("POST", "", "[\"not an object\"]"));
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            JsonNode expected = plain(plainKey, step.method(), step.query(), step.body());
            JsonNode actual = client.call(
                    i % 2 == 0 ? stack.gateway() : other, step.method(), step.query(), step.body(), i % 3 == 0);
            assertThat(withoutTimes(actual)).as(step + " answers " + expected).isEqualTo(withoutTimes(expected));
        }
    }

    @Test
    void shouldRefuseWhatIsNotEncryptedUnderTheProjectsKeyAndChangeNothing() throws Exception {
        Client client = encryptedProject("refusing", Mode.GCM, "apiKey");
        String body = "{\"tokenId\":[\"refused-01\"]}";
        String wrongKey =
                TransmissionCipher.forSecret(Mode.GCM, "tp_not-the-key").encrypt(body);
        byte[] tampered = java.util.Base64.getDecoder().decode(client.cipher().encrypt(body));
        tampered[tampered.length - 1] ^= 1;
        String ecbUnderTheRightKey =
                TransmissionCipher.forSecret(Mode.ECB, client.apiKey()).encrypt(body);
        List<String> refusedBodies = List.of(
                body,
                wrongKey,
                "{\"body\":\"" + wrongKey + "\"}",
                java.util.Base64.getEncoder().encodeToString(tampered),
                ecbUnderTheRightKey,
                "{\"body\":42}",
                "not base64!");
        for (String refused : refusedBodies) {
            for (String method : List.of("POST", "DELETE")) {
                var answer = stack.call(
                        stack.gateway(), method, "/v3/submission/tokens", refused, "x-api-key", client.apiKey());
                assertThat(answer.status()).as(method + " " + refused).isEqualTo(400);
                assertThat(answer.errorCode()).isEqualTo("invalid_payload");
                assertThat(answer.json().path("errorMessage").asText())
                        .isEqualTo("Decryption is Failed. Please check the api-key.");
            }
        }
        JsonNode read = client.call(stack.gateway(), "GET", "?tokenId=refused-01", null, false);
        assertThat(read.path("errorCode").asText()).as("nothing was registered").isEqualTo("token_id_not_found");
        var wrongApiKey = stack.call(
                stack.gateway(), "GET", "/v3/submission/tokens?tokenId=refused-01", null, "x-api-key", "tp_nope");
        assertThat(wrongApiKey.errorCode())
                .as("before the project is known, errors stay plain")
                .isEqualTo("invalid_project");
    }

    @Test
    void shouldTurnEncryptionOnAndOffOnEveryGatewayWithinMoments() throws Exception {
        JsonNode project = stack.createProject("switching", 100L);
        String id = project.path("projectId").asText();
        String apiKey = project.path("apiKey").asText();
        TransmissionCipher cipher = TransmissionCipher.forSecret(Mode.ECB, apiKey);
        Gateway other = stack.gateways.get(1);
        stack.awaitApiKey(other, apiKey);

        var on = stack.call(
                stack.gateway(),
                "PATCH",
                "/admin/projects/" + id,
                "{\"secureTransmission\":{\"enabled\":true,\"mode\":\"ecb\"}}",
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(on.json().path("secureTransmission").toString())
                .isEqualTo("{\"enabled\":true,\"mode\":\"ecb\",\"key\":\"apiKey\"}");
        Deadline.await(
                Duration.ofSeconds(10),
                () -> stack.tokens(other, "POST", apiKey, "{\"tokenId\":[\"switch-01\"]}")
                        .json()
                        .path("errorMessage")
                        .asText()
                        .startsWith("Decryption is Failed"),
                () -> "the other gateway requires encryption");
        var encrypted = stack.tokens(other, "POST", apiKey, cipher.encrypt("{\"tokenId\":[\"switch-01\"]}"));
        assertThat(cipher.decrypt(encrypted.json().path("data").asText())).contains("\"success\":true");

        stack.call(
                stack.gateway(),
                "PATCH",
                "/admin/projects/" + id,
                "{\"secureTransmission\":{\"enabled\":false}}",
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        Deadline.await(
                Duration.ofSeconds(10),
                () -> stack.tokens(other, "POST", apiKey, "{\"tokenId\":[\"switch-02\"]}")
                                .status()
                        == 200,
                () -> "the other gateway takes plain requests again");
        var read = stack.call(other, "GET", "/v3/submission/tokens?tokenId=switch-01", null, "x-api-key", apiKey);
        assertThat(read.status())
                .as("the token registered encrypted is there: " + read.text())
                .isEqualTo(200);
    }

    @Test
    void shouldReplaceTheSecretKeyWhenIssuedAgain() throws Exception {
        Client client = encryptedProject("reissued", Mode.GCM, "secretKey");
        var issued = stack.call(
                stack.gateway(),
                "POST",
                "/admin/projects/" + client.projectId() + "/secret-key",
                null,
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(issued.status()).isEqualTo(200);
        String newSecret = issued.json().path("secretKey").asText();
        assertThat(newSecret).startsWith("tps_");
        var old = stack.tokens(
                stack.gateway(), "POST", client.apiKey(), client.cipher().encrypt("{\"tokenId\":[\"reissue-01\"]}"));
        assertThat(old.json().path("errorMessage").asText())
                .isEqualTo("Decryption is Failed. Please check the api-key.");
        Client renewed =
                new Client(client.projectId(), client.apiKey(), TransmissionCipher.forSecret(Mode.GCM, newSecret));
        assertThat(renewed.call(stack.gateway(), "POST", "", "{\"tokenId\":[\"reissue-01\"]}", true)
                        .path("status")
                        .asInt())
                .isEqualTo(200);
        var shown = stack.call(
                stack.gateway(),
                "GET",
                "/admin/projects/" + client.projectId(),
                null,
                "x-admin-key",
                TokenPoolStack.ADMIN_KEY);
        assertThat(shown.json().has("secretKey"))
                .as("a secret is shown only when issued")
                .isFalse();
        assertThat(shown.json().path("secretKeyIssuedAt").asText()).isNotEmpty();
    }

    /**
     * Master key rotation as the README tells it: gateways get "NEW,OLD", one of them reseals every secret
     * key under NEW, then OLD can go. A gateway holding only the old key can no longer open the secret.
     */
    @Test
    void shouldRotateTheMasterKeyWithoutLosingASecretKey() throws Exception {
        Client client = encryptedProject("rotated-master", Mode.GCM, "secretKey");
        String oldKey = stack.env.get(MasterKeys.VARIABLE);
        String newKey = MasterKeys.generate();
        try (Gateway both = stack.addGateway("gw-both", Map.of(MasterKeys.VARIABLE, newKey + ", " + oldKey))) {
            stack.awaitApiKey(both, client.apiKey());
            assertThat(client.call(both, "POST", "", "{\"tokenId\":[\"master-01\"]}", true)
                            .path("status")
                            .asInt())
                    .isEqualTo(200);

            var resealed = stack.call(
                    both, "POST", "/admin/secret-keys/reseal", null, "x-admin-key", TokenPoolStack.ADMIN_KEY);
            assertThat(resealed.status()).isEqualTo(200);
            assertThat(resealed.json().path("resealed").toString()).contains(client.projectId());
            assertThat(resealed.json().path("unreadable").size()).isZero();

            try (Gateway onlyNew = stack.addGateway("gw-new", Map.of(MasterKeys.VARIABLE, newKey))) {
                stack.awaitApiKey(onlyNew, client.apiKey());
                assertThat(client.call(onlyNew, "GET", "?tokenId=master-01", null, false)
                                .path("tokenId")
                                .asText())
                        .isEqualTo("master-01");
                var oldOnly = stack.call(
                        stack.gateway(),
                        "GET",
                        "/v3/submission/tokens?tokenId=master-01",
                        null,
                        "x-api-key",
                        client.apiKey());
                assertThat(oldOnly.status()).isEqualTo(500);
                assertThat(oldOnly.json().path("errorMessage").asText()).isEqualTo("Data Processing Error.");
            }
        } finally {
            stack.gateways.subList(2, stack.gateways.size()).clear(); // closed here: the other tests use gw-a and gw-b
        }
    }
}
