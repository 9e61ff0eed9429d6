package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenpool.schemas.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes every route the gateway has and every error code it answers. */
class OpenApiDocumentTest {

    static JsonNode document() throws Exception {
        try (InputStream yaml = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(yaml);
        }
    }

    @Test
    void shouldListEveryErrorCodeOfTheCatalogue() throws Exception {
        List<String> documented = new ArrayList<>();
        JsonNode error = document().at("/components/schemas/Error/properties");
        error.at("/errorCode/enum").forEach(code -> documented.add(code.asText()));
        error.at("/errorDetails/properties/invalidTokens/items/properties/errorCode/enum")
                .forEach(code -> documented.add(code.asText()));
        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }

    @Test
    void shouldDescribeEveryRouteOfTheTokenAndAdminApis() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Routes routes = new Routes();
            new TokenApi(
                            vertx,
                            HttpHarness.SETTINGS,
                            new InMemoryProjects(),
                            (project, command, actor, key) -> new CompletableFuture<>(),
                            new GatewayMetrics(new SimpleMeterRegistry()),
                            budget())
                    .addTo(routes);
            new AdminApi(
                            vertx,
                            HttpHarness.SETTINGS,
                            new InMemoryProjects(),
                            budget(),
                            project -> java.util.Optional.empty())
                    .addTo(routes);
            JsonNode paths = document().path("paths");
            assertThat(routes.describe()).hasSizeGreaterThan(8);
            for (String route : routes.describe()) {
                String[] methodAndPath = route.split(" ", 2);
                String path = methodAndPath[1].replace("{id}", "{projectId}");
                assertThat(paths.path(path).has(methodAndPath[0].toLowerCase(Locale.ROOT)))
                        .as(route)
                        .isTrue();
            }
        } finally {
            vertx.close();
        }
    }

    static BodyBudget budget() {
        return new BodyBudget(1 << 20, 1 << 20, () -> {});
    }
}
