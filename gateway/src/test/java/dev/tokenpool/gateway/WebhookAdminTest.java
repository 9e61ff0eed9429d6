package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.Webhook;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A project's webhook through the admin API: checked, its secret made, shown once, rotated, sealed. */
class WebhookAdminTest {
    final String masterKey = MasterKeys.generate();
    final MasterKeys masterKeys = MasterKeys.parse(masterKey);

    @AutoClose
    final AdminHarness harness = new AdminHarness(
            HttpHarness.settings(Map.of(MasterKeys.VARIABLE, masterKey)),
            project -> Optional.of(new WebhookStatus.Status(true, "2026-12-07T00:00:00.000Z", "answered 503", 2)));

    final InMemoryProjects projects = harness.projects;

    WebhookAdminTest() throws Exception {}

    @Test
    void shouldMakeTheSecretShowItOnceAndKeepItSealed() throws Exception {
        HttpHarness.Answer created = harness.call(
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

        JsonNode shown =
                harness.call("GET", "/admin/projects/" + id, null).json().path("webhook");
        assertThat(shown.has("secret")).isFalse();
        assertThat(shown.path("status").path("failing").asBoolean()).isTrue();
        assertThat(shown.path("status").path("lastError").asText()).isEqualTo("answered 503");

        JsonNode retargeted = harness.call(
                        "PATCH", "/admin/projects/" + id, "{\"webhook\":{\"url\":\"https://other.example.com/\"}}")
                .json()
                .path("webhook");
        assertThat(retargeted.has("secret"))
                .as("the same secret signs: nothing to show")
                .isFalse();
        assertThat(retargeted.path("events").size()).as("left out: every event").isEqualTo(Webhook.EVENTS.size());
        assertThat(projects.byId(id).orElseThrow().webhook().secret())
                .isEqualTo(stored.webhook().secret());

        assertThat(harness.call("PATCH", "/admin/projects/" + id, "{\"webhook\":null}")
                        .json()
                        .get("webhook")
                        .isNull())
                .as("shown as null, like the other settings a project may not have")
                .isTrue();
        assertThat(projects.byId(id).orElseThrow().webhook()).isNull();
    }

    @Test
    void shouldRotateTheSecretWithBothSigningForADay() throws Exception {
        String id = harness.call(
                        "POST", "/admin/projects", "{\"name\":\"r\",\"webhook\":{\"url\":\"https://h.example.com/\"}}")
                .json()
                .path("projectId")
                .asText();
        Webhook before = projects.byId(id).orElseThrow().webhook();

        HttpHarness.Answer rotated = harness.call("POST", "/admin/projects/" + id + "/webhook-secret", null);

        assertThat(rotated.status()).isEqualTo(200);
        String secret = rotated.json().path("webhook").path("secret").asText();
        Webhook after = projects.byId(id).orElseThrow().webhook();
        assertThat(masterKeys.open(WebhookDelivery.webhookContext(id), after.secret()))
                .isEqualTo(secret);
        assertThat(after.previousSecret()).isEqualTo(before.secret());
        assertThat(after.signingSecrets(Instant.now())).containsExactly(after.secret(), before.secret());
        assertThat(after.signingSecrets(Instant.now().plusSeconds(25 * 3600))).containsExactly(after.secret());

        projects.add("p-plain");
        assertThat(harness.call("POST", "/admin/projects/p-plain/webhook-secret", null)
                        .errorCode())
                .isEqualTo("invalid_payload");
    }

    @Test
    void shouldRefuseDestinationsAndSettingsItCannotDeliverTo() throws Exception {
        assertThat(harness.call(
                                "POST",
                                "/admin/projects",
                                "{\"name\":\"a\",\"webhook\":{\"url\":\"http://h.example.com/\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("https://");
        assertThat(harness.call(
                                "POST",
                                "/admin/projects",
                                "{\"name\":\"a\",\"webhook\":{\"url\":\"https://10.0.0.7/\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("public address");
        assertThat(harness.call(
                                "POST",
                                "/admin/projects",
                                "{\"name\":\"a\",\"webhook\":{\"url\":\"https://h.example.com/\"},"
                                        + "\"secureTransmission\":{\"enabled\":true,\"key\":\"apiKey\"}}")
                        .json()
                        .path("errorMessage")
                        .asText())
                .contains("secretKey");
        String id = harness.call(
                        "POST", "/admin/projects", "{\"name\":\"b\",\"webhook\":{\"url\":\"https://h.example.com/\"}}")
                .json()
                .path("projectId")
                .asText();
        HttpHarness.Answer toApiKey = harness.call(
                "PATCH", "/admin/projects/" + id, "{\"secureTransmission\":{\"enabled\":true,\"key\":\"apiKey\"}}");
        assertThat(toApiKey.status()).isEqualTo(400);
        assertThat(projects.byId(id).orElseThrow().transmission().enabled())
                .as("nothing saved")
                .isFalse();
        assertThat(projects.all()).extracting(ProjectRecord::name).containsExactly("b");
    }
}
