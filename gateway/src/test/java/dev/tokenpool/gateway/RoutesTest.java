package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutesTest {
    HttpHarness http;

    @BeforeEach
    void start() throws Exception {
        http = new HttpHarness();
        http.routes
                .on(
                        HttpMethod.GET,
                        "/things/{id}",
                        (request, params) -> Responses.json(request.response(), 200, params))
                .on(
                        HttpMethod.POST,
                        "/things/{id}/touch",
                        (request, params) -> Responses.json(request.response(), 201, params))
                .on(HttpMethod.GET, "/broken", request -> {
                    throw new IllegalStateException("bug");
                });
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    @Test
    void shouldHandPathParametersToTheRoute() throws Exception {
        assertThat(http.call("GET", "/things/p-1", null).json().path("id").asText())
                .isEqualTo("p-1");
        assertThat(http.call("POST", "/things/p-2/touch", null).status()).isEqualTo(201);
    }

    @Test
    void shouldAnswerInvalidPathForUnknownPathsAndMethods() throws Exception {
        var unknown = http.call("GET", "/nothing", null);
        assertThat(unknown.errorCode()).isEqualTo("invalid_path");
        assertThat(unknown.json().path("errorMessage").asText()).isEqualTo("No such path: /nothing");
        assertThat(http.call("GET", "/things/", null).errorCode())
                .as("empty parameter")
                .isEqualTo("invalid_path");
        var wrongMethod = http.call("DELETE", "/things/p-1", null);
        assertThat(wrongMethod.status()).isEqualTo(400);
        assertThat(wrongMethod.json().path("errorMessage").asText())
                .contains("DELETE")
                .contains("use GET");
    }

    @Test
    void shouldAnswerAHandlerThatThrowsWith500() throws Exception {
        var answer = http.call("GET", "/broken", null);
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.json())
                .isEqualTo(dev.tokenpool.schemas.Json.tree(
                        Map.of("errorCode", "internal_server_error", "errorMessage", "Internal server error.")));
    }
}
