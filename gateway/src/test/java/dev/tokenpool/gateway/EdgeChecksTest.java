package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Json;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class EdgeChecksTest {

    @Test
    void contentTypeMayBeAbsentTextPlainOrJson() {
        assertThat(RequestBodies.acceptedContentType(null)).isTrue();
        assertThat(RequestBodies.acceptedContentType("text/plain")).isTrue();
        assertThat(RequestBodies.acceptedContentType("application/json; charset=utf-8")).isTrue();
        assertThat(RequestBodies.acceptedContentType("Text/Plain")).isTrue();
        assertThat(RequestBodies.acceptedContentType("application/x-www-form-urlencoded")).isFalse();
        assertThat(RequestBodies.acceptedContentType("application/xml")).isFalse();
    }

    @Test
    void bodiesMustBeOneJsonObject() {
        assertThat(RequestBodies.parse(Buffer.buffer("")).error().errorMessage()).isEqualTo("Request body is missing.");
        assertThat(RequestBodies.parse(Buffer.buffer("[1]")).error().errorMessage()).isEqualTo("Request body must be a JSON object.");
        assertThat(RequestBodies.parse(Buffer.buffer("{\"a\":1} {}")).error().errorCode()).isEqualTo("invalid_payload");
        assertThat(RequestBodies.parse(Buffer.buffer("{\"tokenId\": [")).error().errorMessage())
                .startsWith("Request body is not valid JSON:").contains("line 1").doesNotContain("Source:");
        assertThat(RequestBodies.parse(Buffer.buffer("{\"tokenId\":[\"user001a\"]}")).fields().get("tokenId").size()).isEqualTo(1);
    }

    @Test
    void projectSettingsAreChecked() throws Exception {
        assertThat(AdminApi.check(fields("{\"name\":\"acme\"}"), true)).isNull();
        assertThat(AdminApi.check(fields("{\"poolLimit\":5}"), false)).isNull();
        assertThat(AdminApi.check(fields("{\"poolLimit\":5}"), true)).isNotNull();
        assertThat(AdminApi.check(fields("{\"name\":\"\"}"), true)).isNotNull();
        assertThat(AdminApi.check(fields("{\"name\":\"a\",\"poolLimit\":0}"), true)).isNotNull();
        assertThat(AdminApi.check(fields("{\"name\":\"a\",\"poolLimit\":10000001}"), true)).isNotNull();
        assertThat(AdminApi.check(fields("{\"name\":\"a\",\"poolLimit\":\"5\"}"), true)).isNotNull();
        assertThat(AdminApi.check(fields("{\"name\":\"a\",\"apiKey\":\"mine\"}"), true).errorMessage()).contains("'apiKey'");
    }

    @Test
    void apiKeysAreRandomAndStoredOnlyAsHashes() {
        String key = ApiKeys.generate();
        assertThat(key).startsWith("tp_").hasSizeGreaterThan(40).isNotEqualTo(ApiKeys.generate());
        assertThat(ApiKeys.hash(key)).hasSize(64).doesNotContain(key).isEqualTo(ApiKeys.hash(key));
        assertThat(ApiKeys.matches("secret", "secret")).isTrue();
        assertThat(ApiKeys.matches("secret", "secreT")).isFalse();
        assertThat(ApiKeys.matches("secret", null)).isFalse();
    }

    private static ObjectNode fields(String json) throws Exception {
        return (ObjectNode) Json.parse(json.getBytes());
    }
}
