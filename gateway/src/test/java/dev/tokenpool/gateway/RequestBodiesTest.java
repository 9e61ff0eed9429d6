package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void shouldAcceptNoContentTypeTextPlainOrJson() {
        assertThat(RequestBodies.acceptedContentType(null)).isTrue();
        assertThat(RequestBodies.acceptedContentType("text/plain")).isTrue();
        assertThat(RequestBodies.acceptedContentType("application/json; charset=utf-8"))
                .isTrue();
        assertThat(RequestBodies.acceptedContentType("Text/Plain")).isTrue();
        assertThat(RequestBodies.acceptedContentType("application/x-www-form-urlencoded"))
                .isFalse();
        assertThat(RequestBodies.acceptedContentType("application/xml")).isFalse();
    }

    @Test
    void shouldTakeExactlyOneJsonObject() {
        assertThat(error("")).isEqualTo("Request body is missing.");
        assertThat(error("[1]")).isEqualTo("Request body must be a JSON object.");
        assertThat(error("{\"a\":1} {}")).startsWith("Request body is not valid JSON:");
        assertThat(error("{\"a\":1,\"a\":2}")).contains("Duplicate field 'a'");
        assertThat(error("{\"tokenId\": ["))
                .startsWith("Request body is not valid JSON:")
                .contains("line 1")
                .doesNotContain("Source:");
        Validation<ObjectNode> ok = RequestBodies.parse(Buffer.buffer("{\"tokenId\":[\"user001a\"]}"));
        assertThat(((Validation.Valid<ObjectNode>) ok).value().get("tokenId").size())
                .isEqualTo(1);
    }

    private static String error(String body) {
        Validation<ObjectNode> parsed = RequestBodies.parse(Buffer.buffer(body));
        assertThat(parsed).isInstanceOf(Validation.Invalid.class);
        Validation.Invalid<ObjectNode> invalid = (Validation.Invalid<ObjectNode>) parsed;
        assertThat(invalid.error().errorCode()).isEqualTo("invalid_payload");
        return invalid.error().errorMessage();
    }
}
