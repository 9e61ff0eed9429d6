package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.Webhook;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A project's webhook through the admin API: checked, its secret made, shown once, rotated, sealed. */
class WebhookAdminTest {
    static final String ADMIN = "test-admin-key";
    final InMemoryProjects projects = new InMemoryProjects();
    final MasterKeys masterKeys;
    final HttpHarness http = new HttpHarness();

    WebhookAdminTest() throws Exception {
        String masterKey = MasterKeys.generate();
        this.masterKeys = MasterKeys.parse(masterKey);
        GatewaySettings settings = HttpHarness.settings(Map.of(MasterKeys.VARIABLE, masterKey));
        new AdminApi(
                        http.vertx,
                        settings,
                        projects,
                        http.bodies,
                        project -> Optional.of(
                                new WebhookStatus.Status(true, "2026-12-07T00:00:00.000Z", "answered 503", 2)))
                .addTo(http.routes);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    HttpHarness.Answer admin(String method, String path, String body) throws Exception {
        return http.call(method, path, body, "x-admin-key", ADMIN, "Content-Type", "application/json");
    }

    @Test
    void shouldMakeTheSecretShowItOnceAndKeepItSealed() throws Exception {
        HttpHarness.Answer created = admin(
                "POST",
                "/admin/projects",
                "{\"name\":\"hooked\",\"webhook\":{\"url\":\"https://hooks.example.com/in\",\"events\":[\"token_expired\"]}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode webhook = created.json().path("webhook");
        String secret = webhook.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(webhook.path("url").asText()).isEqualTo("https://hooks.example.com/in");
        assertThat(webhook.path("events").toString()).isEqualTo("[\"token_expired\"]");

        String id = created.json().path("projectId").asText();
        ProjectRecord stored = projects.byId(id).orElseThrow();
        assertThat(stored.toString()).doesNotContain(secret.substring(6));
        assertThat(masterKeys.open(
                        WebhookDelivery.webhookContext(id), stored.webhook().secret()))
                .isEqualTo(secret);

        JsonNode shown = admin("GET", "/admin/projects/" + id, null).json().path("webhook");
        assertThat(shown.has("secret")).isFalse();
        assertThat(shown.path("status").path("failing").asBoolean()).isTrue();
        assertThat(shown.path("status").path("lastError").asText()).isEqualTo("answered 503");

        JsonNode retargeted = admin(
                        "PATCH", "/admin/projects/" + id, "{\"webhook\":{\"url\":\"https://other.example.com/\"}}")
                .json()
                .path("webhook");
        assertThat(retargeted.has("secret"))
                .as("the same secret signs: nothing to show")
                .isFalse();
        assertThat(retargeted.path("events").size()).as("left out: every event").isEqualTo(Webhook.EVENTS.size());
        assertThat(projects.byId(id).orElseThrow().webhook().secret())
                .isEqualTo(stored.webhook().secret());

        assertThat(admin("PATCH", "/admin/projects/" + id, "{\"webhook\":null}")
                        .json()
                        .get("webhook")
                        .isNull())
                .as("shown as null, like the other settings a project may not have")
                .isTrue();
        assertThat(projects.byId(id).orElseThrow().webhook()).isNull();
    }

    @Test
    void shouldRotateTheSecretWithBothSigningForADay() throws Exception {
        String id = admin(
                        "POST", "/admin/projects", "{\"name\":\"r\",\"webhook\":{\"url\":\"https://h.example.com/\"}}")
                .json()
                .path("projectId")
                .asText();
        Webhook before = projects.byId(id).orElseThrow().webhook();

        HttpHarness.Answer rotated = admin("POST", "/admin/projects/" + id + "/webhook-secret", null);

        assertThat(rotated.status()).isEqualTo(200);
        String secret = rotated.json().path("webhook").path("secret").asText();
        Webhook after = projects.byId(id).orElseThrow().webhook();
        assertThat(masterKeys.open(WebhookDelivery.webhookContext(id), after.secret()))
                .isEqualTo(secret);
        assertThat(after.previousSecret()).isEqualTo(before.secret());
        assertThat(after.signingSecrets(Instant.now())).containsExactly(after.secret(), before.secret());
        assertThat(after.signingSecrets(Instant.now().plusSeconds(25 * 3600))).containsExactly(after.secret());

        projects.add("p-plain");
        assertThat(admin("POST", "/admin/projects/p-plain/webhook-secret", null).errorCode())
                .isEqualTo("invalid_payload");
    }

    @Test
    void shouldRefuseDestinationsAndSettingsItCannotDeliverTo() throws Exception {
        assertThat(admin("POST", "/admin/projects", "{\"name\":\"a\",\"webhook\":{\"url\":\"http://h.example.com/\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("https://");
        assertThat(admin("POST", "/admin/projects", "{\"name\":\"a\",\"webhook\":{\"url\":\"https://10.0.0.7/\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("public address");
        assertThat(admin(
                                "POST",
                                "/admin/projects",
                                "{\"name\":\"a\",\"webhook\":{\"url\":\"https://h.example.com/\"},"
                                        + "\"secureTransmission\":{\"enabled\":true,\"key\":\"apiKey\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("secretKey");
        String id = admin(
                        "POST", "/admin/projects", "{\"name\":\"b\",\"webhook\":{\"url\":\"https://h.example.com/\"}}")
                .json()
                .path("projectId")
                .asText();
        HttpHarness.Answer toApiKey = admin(
                "PATCH", "/admin/projects/" + id, "{\"secureTransmission\":{\"enabled\":true,\"key\":\"apiKey\"}}");
        assertThat(toApiKey.status()).isEqualTo(400);
        assertThat(projects.byId(id).orElseThrow().transmission().enabled())
                .as("nothing saved")
                .isFalse();
        assertThat(projects.all()).extracting(ProjectRecord::name).containsExactly("b");
    }
}
