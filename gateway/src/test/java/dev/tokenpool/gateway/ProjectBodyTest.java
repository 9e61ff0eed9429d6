package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Validation;
import dev.tokenpool.schemas.VolumeDeletion;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectBodyTest {
    @Test
    void shouldCheckNameAndPoolLimit() throws Exception {
        assertThat(changes("{\"name\":\"acme\"}", true)).isInstanceOf(Validation.Valid.class);
        assertThat(changes("{\"poolLimit\":5}", false))
                .isEqualTo(Validation.valid(new ProjectChanges(
                        keep(),
                        Change.set(5L),
                        ProjectChanges.Transmission.KEEP,
                        keep(),
                        keep(),
                        keep(),
                        keep(),
                        keep(),
                        keep())));
        assertThat(error(changes("{\"poolLimit\":5}", true))).contains("name");
        assertThat(error(changes("{\"name\":\"\"}", true))).contains("name");
        assertThat(error(changes("{\"name\":\"a\",\"poolLimit\":0}", true))).contains("poolLimit");
        assertThat(error(changes("{\"name\":\"a\",\"poolLimit\":10000001}", true)))
                .contains("poolLimit");
        assertThat(error(changes("{\"name\":\"a\",\"poolLimit\":\"5\"}", true))).contains("poolLimit");
        assertThat(error(changes("{\"name\":\"a\",\"apiKey\":\"mine\"}", true))).contains("'apiKey'");
    }

    @Test
    void shouldCheckTheLifecycleSettings() throws Exception {
        var changes = changes(
                "{\"expiration\":{\"maxUses\":1,\"ttlSeconds\":86400},\"deleteOnExpiration\":false,"
                        + "\"volumeDeletion\":{\"startRatio\":0.9,\"deleteRatio\":0.1,\"order\":\"desc\"}}",
                false);
        assertThat(changes)
                .isEqualTo(Validation.valid(new ProjectChanges(
                        keep(),
                        keep(),
                        ProjectChanges.Transmission.KEEP,
                        Change.set(new Expiration(1, 86_400L)),
                        Change.set(false),
                        Change.set(new VolumeDeletion(0.9, 0.1, Order.DESC)),
                        keep(),
                        keep(),
                        keep())));
        assertThat(changes("{\"expiration\":null,\"volumeDeletion\":null}", false))
                .isEqualTo(Validation.valid(new ProjectChanges(
                        keep(),
                        keep(),
                        ProjectChanges.Transmission.KEEP,
                        Change.clear(),
                        keep(),
                        Change.clear(),
                        keep(),
                        keep(),
                        keep())));
        for (String bad : List.of(
                "{\"expiration\":{}}",
                "{\"expiration\":{\"maxUses\":0}}",
                "{\"expiration\":{\"ttlSeconds\":1.5}}",
                "{\"expiration\":{\"uses\":1}}",
                "{\"expiration\":86400}",
                "{\"volumeDeletion\":{\"startRatio\":0.9}}",
                "{\"volumeDeletion\":{\"startRatio\":1.5,\"deleteRatio\":0.1}}",
                "{\"volumeDeletion\":{\"startRatio\":0.9,\"deleteRatio\":0.1,\"order\":\"random\"}}",
                "{\"deleteOnExpiration\":\"yes\"}")) {
            assertThat(changes(bad, false)).as(bad).isInstanceOf(Validation.Invalid.class);
        }
    }

    @Test
    void shouldCheckSecureTransmission() throws Exception {
        assertThat(changes("{\"secureTransmission\":{\"enabled\":true,\"mode\":\"ecb\",\"key\":\"secretKey\"}}", false))
                .isEqualTo(Validation.valid(transmission(new ProjectChanges.Transmission(
                        Change.set(true),
                        Change.set(TransmissionCipher.Mode.ECB),
                        Change.set(SecureTransmission.KeySource.SECRET_KEY)))));
        assertThat(changes("{\"secureTransmission\":{\"enabled\":false}}", false))
                .isEqualTo(Validation.valid(
                        transmission(new ProjectChanges.Transmission(Change.set(false), keep(), keep()))));
        assertThat(error(changes("{\"secureTransmission\":true}", false))).contains("must be an object");
        assertThat(error(changes("{\"secureTransmission\":{\"enabled\":\"yes\"}}", false)))
                .contains("enabled");
        assertThat(error(changes("{\"secureTransmission\":{\"mode\":\"cbc\"}}", false)))
                .contains("\"ecb\" or \"gcm\"");
        assertThat(error(changes("{\"secureTransmission\":{\"key\":\"adminKey\"}}", false)))
                .contains("\"apiKey\" or \"secretKey\"");
        assertThat(error(changes("{\"secureTransmission\":{\"iv\":\"00\"}}", false)))
                .contains("'secureTransmission.iv'");
    }

    @Test
    void shouldSetOrClearEachRateLimitOnItsOwn() throws Exception {
        assertThat(changes("{\"rateLimit\":{\"requestsPerSecond\":50,\"requestsPerDay\":null}}", false))
                .isEqualTo(Validation.valid(rateLimit(Change.set(50), Change.clear())));
        assertThat(changes("{\"rateLimit\":{\"requestsPerDay\":100000}}", false))
                .isEqualTo(Validation.valid(rateLimit(keep(), Change.set(100_000L))));
        assertThat(changes("{\"rateLimit\":null}", false))
                .isEqualTo(Validation.valid(rateLimit(Change.clear(), Change.clear())));
        for (String bad : List.of(
                "{\"rateLimit\":5}",
                "{\"rateLimit\":{\"requestsPerSecond\":0}}",
                "{\"rateLimit\":{\"requestsPerSecond\":1000001}}",
                "{\"rateLimit\":{\"requestsPerMinute\":5}}")) {
            assertThat(error(changes(bad, false))).as(bad).startsWith("rateLimit must be null or");
        }
    }

    @Test
    void shouldKeepNameAndPoolLimitFromBeingCleared() throws Exception {
        assertThat(error(changes("{\"name\":null}", false))).contains("name");
        assertThat(error(changes("{\"poolLimit\":null}", false))).contains("poolLimit");
        assertThat(error(changes("{\"deleteOnExpiration\":null}", false))).contains("deleteOnExpiration");
    }

    private static <T> Change<T> keep() {
        return Change.keep();
    }

    @Test
    void shouldCheckTheWebhook() throws Exception {
        assertThat(changes("{\"webhook\":{\"url\":\"https://hooks.example.com/tokenpool\"}}", false))
                .isEqualTo(Validation.valid(webhook(
                        Change.set(new ProjectChanges.WebhookTarget("https://hooks.example.com/tokenpool", null)))));
        assertThat(changes(
                        "{\"webhook\":{\"url\":\"https://h.example\",\"events\":[\"token_reuse_attempted\","
                                + "\"token_reuse_attempted\"]}}",
                        false))
                .as("each event once")
                .isEqualTo(Validation.valid(webhook(Change.set(
                        new ProjectChanges.WebhookTarget("https://h.example", List.of("token_reuse_attempted"))))));
        assertThat(changes("{\"webhook\":null}", false)).isEqualTo(Validation.valid(webhook(Change.clear())));
        for (String bad : List.of(
                "{\"webhook\":\"https://h.example\"}",
                "{\"webhook\":{}}",
                "{\"webhook\":{\"url\":\"\"}}",
                "{\"webhook\":{\"url\":7}}",
                "{\"webhook\":{\"url\":\"https://h.example\",\"events\":[]}}",
                "{\"webhook\":{\"url\":\"https://h.example\",\"events\":[\"token_added\"]}}",
                "{\"webhook\":{\"url\":\"https://h.example\",\"secret\":\"mine\"}}",
                "{\"webhook\":{\"url\":\"https://h.example/" + "a".repeat(2048) + "\"}}")) {
            assertThat(error(changes(bad, false))).as(bad).startsWith("webhook must be");
        }
    }

    private static ProjectChanges webhook(Change<ProjectChanges.WebhookTarget> webhook) {
        return new ProjectChanges(
                keep(), keep(), ProjectChanges.Transmission.KEEP, keep(), keep(), keep(), keep(), keep(), webhook);
    }

    private static ProjectChanges transmission(ProjectChanges.Transmission transmission) {
        return new ProjectChanges(keep(), keep(), transmission, keep(), keep(), keep(), keep(), keep(), keep());
    }

    private static ProjectChanges rateLimit(Change<Integer> perSecond, Change<Long> perDay) {
        return new ProjectChanges(
                keep(), keep(), ProjectChanges.Transmission.KEEP, keep(), keep(), keep(), perSecond, perDay, keep());
    }

    private static Validation<ProjectChanges> changes(String json, boolean creating) throws Exception {
        ObjectNode fields = (ObjectNode) Json.parse(json.getBytes());
        return creating ? ProjectBody.create(fields) : ProjectBody.patch(fields);
    }

    private static String error(Validation<?> validation) {
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid<?>) validation).error().errorMessage();
    }
}
