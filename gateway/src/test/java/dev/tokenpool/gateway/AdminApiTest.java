package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
    static final String ADMIN = AdminHarness.ADMIN_KEY;
    AdminHarness harness;
    InMemoryProjects projects;
    HttpHarness http;

    @BeforeEach
    void start() throws Exception {
        harness = new AdminHarness(HttpHarness.SETTINGS, project -> java.util.Optional.empty());
        projects = harness.projects;
        http = harness.http;
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    HttpHarness.Answer admin(String method, String path, String body) throws Exception {
        return harness.call(method, path, body);
    }

    @Test
    void shouldCreateAProjectAndShowItsApiKeyOnlyOnce() throws Exception {
        HttpHarness.Answer created = admin("POST", "/admin/projects", "{\"name\":\"acme\",\"poolLimit\":50000}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("projectId").asText();
        String apiKey = created.json().path("apiKey").asText();
        assertThat(apiKey).startsWith("tp_");
        assertThat(projects.byApiKey(apiKey)).map(p -> p.projectId()).contains(id);
        assertThat(created.json().path("createdAt").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        HttpHarness.Answer read = admin("GET", "/admin/projects/" + id, null);
        assertThat(read.json().path("poolLimit").asLong()).isEqualTo(50000);
        assertThat(read.json().has("apiKey")).isFalse();
        assertThat(read.text()).doesNotContain(apiKey);
    }

    @Test
    void shouldApplyAPatchToTheProjectAsItIsWhenSaved() throws Exception {
        String oldKey = projects.add("p-1");
        HttpHarness.Answer rotated = admin("POST", "/admin/projects/p-1/api-key", null);
        String newKey = rotated.json().path("apiKey").asText();

        assertThat(admin("PATCH", "/admin/projects/p-1", "{\"poolLimit\":7}").status())
                .isEqualTo(200);

        assertThat(projects.byApiKey(newKey)).map(p -> p.poolLimit()).contains(7L);
        assertThat(projects.byApiKey(oldKey)).isEmpty();
    }

    @Test
    void shouldNotBringBackARotatedKeyWhenAPatchStartedBeforeTheRotationSavesAfterIt() throws Exception {
        String oldKey = projects.add("p-1");
        java.util.concurrent.CountDownLatch rotated = new java.util.concurrent.CountDownLatch(1);
        // The PATCH's head arrives now; its body only once the key has been rotated.
        java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> slowBody =
                subscriber -> subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
                    boolean sent;

                    public void request(long n) {
                        if (sent) {
                            return;
                        }
                        sent = true;
                        Thread.ofVirtual().start(() -> {
                            try {
                                rotated.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            subscriber.onNext(java.nio.ByteBuffer.wrap("{\"poolLimit\":7}".getBytes()));
                            subscriber.onComplete();
                        });
                    }

                    public void cancel() {}
                });
        var patch = http.client.sendAsync(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://localhost:" + http.port() + "/admin/projects/p-1"))
                        .header("x-admin-key", ADMIN)
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.fromPublisher(slowBody, 15))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        // The PATCH has reached the API (it looked its project up) but cannot finish: its body is held back.
        dev.tokenpool.runtime.Deadline.await(
                java.time.Duration.ofSeconds(5),
                () -> projects.lookups.get() == 1,
                () -> "the PATCH reaches the admin API");
        String newKey = admin("POST", "/admin/projects/p-1/api-key", null)
                .json()
                .path("apiKey")
                .asText();
        rotated.countDown();

        assertThat(patch.join().statusCode()).isEqualTo(200);
        assertThat(projects.byApiKey(newKey))
                .as("the new key still works")
                .map(p -> p.poolLimit())
                .contains(7L);
        assertThat(projects.byApiKey(oldKey)).as("the old key stays revoked").isEmpty();
    }

    @Test
    void shouldRefuseWithoutTheAdminKey() throws Exception {
        assertThat(http.call("GET", "/admin/projects", null).status()).isEqualTo(401);
        assertThat(http.call("GET", "/admin/projects", null, "x-admin-key", "wrong")
                        .errorCode())
                .isEqualTo("unauthorized");
    }

    @Test
    void shouldAnswerProjectNotFoundForAnUnknownId() throws Exception {
        assertThat(admin("GET", "/admin/projects/p-none", null).status()).isEqualTo(404);
        assertThat(admin("PATCH", "/admin/projects/p-none", "{\"poolLimit\":7}").errorCode())
                .isEqualTo("project_not_found");
        assertThat(admin("POST", "/admin/projects/p-none/api-key", null).errorCode())
                .isEqualTo("project_not_found");
    }

    @Test
    void shouldRefuseCurlsDefaultFormTypeLikeTheTokenApi() throws Exception {
        HttpHarness.Answer answer = http.call(
                "POST",
                "/admin/projects",
                "{\"name\":\"acme\"}",
                "x-admin-key",
                ADMIN,
                "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(answer.errorCode()).isEqualTo("invalid_payload");
        assertThat(projects.all()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownAdminPathsAndMethodsWithInvalidPath() throws Exception {
        projects.add("p-1");
        assertThat(admin("DELETE", "/admin/projects/p-1", null).errorCode()).isEqualTo("invalid_path");
        assertThat(admin("GET", "/admin/projects/p-1/secrets", null).errorCode())
                .isEqualTo("invalid_path");
    }

    @Test
    void shouldShowAndChangeTheLifecycleOfAProject() throws Exception {
        projects.add("p-1");
        var shown = admin("GET", "/admin/projects/p-1", null).json();
        assertThat(shown.has("expiration")).as("shown even when none").isTrue();
        assertThat(shown.get("expiration").isNull()).isTrue();
        var patched = admin("PATCH", "/admin/projects/p-1", "{\"expiration\":{\"ttlSeconds\":60}}")
                .json();
        assertThat(patched.path("expiration").toString()).isEqualTo("{\"ttlSeconds\":60}");
        assertThat(patched.path("deleteOnExpiration").asBoolean()).isTrue();
        var kept = admin("PATCH", "/admin/projects/p-1", "{\"deleteOnExpiration\":false,\"poolLimit\":5}")
                .json();
        assertThat(kept.path("expiration").toString())
                .as("unchanged when absent")
                .isEqualTo("{\"ttlSeconds\":60}");
        assertThat(kept.path("deleteOnExpiration").asBoolean()).isFalse();
        assertThat(projects.byId("p-1").orElseThrow().deletesExpired()).isFalse();
    }

    @Test
    void shouldSetAProjectsRateLimitPartByPartAndClearIt() throws Exception {
        HttpHarness.Answer created =
                admin("POST", "/admin/projects", "{\"name\":\"limited\",\"rateLimit\":{\"requestsPerSecond\":50}}");
        assertThat(created.json().path("rateLimit").toString()).isEqualTo("{\"requestsPerSecond\":50}");
        String id = created.json().path("projectId").asText();

        HttpHarness.Answer daily =
                admin("PATCH", "/admin/projects/" + id, "{\"rateLimit\":{\"requestsPerDay\":100000}}");
        assertThat(daily.json().path("rateLimit").toString())
                .as("a field left out keeps its limit")
                .isEqualTo("{\"requestsPerSecond\":50,\"requestsPerDay\":100000}");
        HttpHarness.Answer unlimitedRate =
                admin("PATCH", "/admin/projects/" + id, "{\"rateLimit\":{\"requestsPerSecond\":null}}");
        assertThat(unlimitedRate.json().path("rateLimit").toString()).isEqualTo("{\"requestsPerDay\":100000}");
        assertThat(admin("PATCH", "/admin/projects/" + id, "{\"name\":\"renamed\"}")
                        .json()
                        .path("rateLimit")
                        .toString())
                .as("untouched by other changes")
                .isEqualTo("{\"requestsPerDay\":100000}");
        HttpHarness.Answer none = admin("PATCH", "/admin/projects/" + id, "{\"rateLimit\":null}");
        assertThat(none.json().path("rateLimit").isNull()).isTrue();
        assertThat(projects.byId(id).orElseThrow().rateLimit()).isNull();

        for (String bad : java.util.List.of(
                "{\"rateLimit\":{\"requestsPerSecond\":0}}",
                "{\"rateLimit\":{\"requestsPerSecond\":1.5}}",
                "{\"rateLimit\":{\"perSecond\":5}}",
                "{\"rateLimit\":5}",
                "{\"rateLimit\":{\"requestsPerDay\":\"many\"}}")) {
            assertThat(admin("PATCH", "/admin/projects/" + id, bad).errorCode())
                    .as(bad)
                    .isEqualTo("invalid_payload");
        }
    }

    @Test
    void shouldGiveAProjectCreatedWithoutARateLimitTheDefaults() throws Exception {
        try (HttpHarness withDefaults = new HttpHarness()) {
            GatewaySettings settings = GatewaySettings.fromEnv(java.util.Map.of(
                    "TOKENPOOL_ADMIN_KEY",
                    ADMIN,
                    "TOKENPOOL_DEFAULT_REQUESTS_PER_SECOND",
                    "20",
                    "TOKENPOOL_DEFAULT_REQUESTS_PER_DAY",
                    "5000"));
            new AdminApi(
                            withDefaults.vertx,
                            settings,
                            new InMemoryProjects(),
                            withDefaults.bodies,
                            project -> java.util.Optional.empty())
                    .addTo(withDefaults.routes);
            withDefaults.start();
            HttpHarness.Answer created =
                    withDefaults.call("POST", "/admin/projects", "{\"name\":\"x\"}", "x-admin-key", ADMIN);
            assertThat(created.json().path("rateLimit").toString())
                    .isEqualTo("{\"requestsPerSecond\":20,\"requestsPerDay\":5000}");
            HttpHarness.Answer own = withDefaults.call(
                    "POST",
                    "/admin/projects",
                    "{\"name\":\"y\",\"rateLimit\":{\"requestsPerDay\":null}}",
                    "x-admin-key",
                    ADMIN);
            assertThat(own.json().path("rateLimit").toString()).isEqualTo("{\"requestsPerSecond\":20}");
        }
        assertThat(admin("POST", "/admin/projects", "{\"name\":\"z\"}")
                        .json()
                        .path("rateLimit")
                        .isNull())
                .as("no defaults set: unlimited")
                .isTrue();
    }
}
