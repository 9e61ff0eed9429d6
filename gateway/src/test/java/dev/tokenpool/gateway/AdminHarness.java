package dev.tokenpool.gateway;

/** The admin API on a real HTTP server over in-memory projects, called with the admin key. */
final class AdminHarness implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key";
    final InMemoryProjects projects = new InMemoryProjects();
    final HttpHarness http = new HttpHarness();

    AdminHarness(GatewaySettings settings, AdminApi.WebhookStatuses statuses) throws Exception {
        new AdminApi(http.vertx, settings, projects, http.bodies, statuses).addTo(http.routes);
        http.start();
    }

    HttpHarness.Answer call(String method, String path, String body) throws Exception {
        return http.call(method, path, body, "x-admin-key", ADMIN_KEY, "Content-Type", "application/json");
    }

    @Override
    public void close() throws Exception {
        http.close();
    }
}
