package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Vert.x HTTP server on a free port serving one route table, and a client to call it. */
final class HttpHarness implements AutoCloseable {
    static final GatewaySettings SETTINGS = settings(Map.of());

    /** The harness's settings, with these over them. */
    static GatewaySettings settings(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "TOKENPOOL_ADMIN_KEY", "test-admin-key",
                "TOKENPOOL_MAX_BODY_BYTES", "4096",
                "TOKENPOOL_REQUEST_TIMEOUT_MS", "2000",
                "TOKENPOOL_HTTP_READ_TIMEOUT_MS", "500"));
        env.putAll(more);
        return GatewaySettings.fromEnv(env);
    }

    final Vertx vertx = Vertx.vertx();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final Routes routes = new Routes();
    /** A budget as roomy as the gateway's default. */
    final BodyBudget bodies =
            new BodyBudget(SETTINGS.http().bodyBudgetBytes(), SETTINGS.http().bodyBudgetPerAddress(), () -> {});

    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    /** Starts serving the routes added so far. */
    HttpHarness start() throws Exception {
        server = vertx.createHttpServer().requestHandler(routes).listen(0).await(10, TimeUnit.SECONDS);
        return this;
    }

    record Answer(int status, String text, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.parse(text.getBytes());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String errorCode() {
            return json().path("errorCode").asText();
        }
    }

    Answer call(String method, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.actualPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /**
     * Sends bytes exactly as given over a plain socket (for requests no well-behaved client would
     * make) and returns everything the server answered before closing or going quiet for 3 s.
     */
    String raw(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", server.actualPort())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(java.nio.charset.StandardCharsets.UTF_8).contains("}")) {
                        break; // one JSON answer is all these tests need
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server said all it had to say
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Vert.x did not close", e);
        }
    }
}
