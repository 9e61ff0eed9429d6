package dev.tokenpool.bench;

import dev.tokenpool.schemas.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What the benchmarks ask of the admin API, and free ports to run on. */
final class AdminClient {
    static final String ADMIN_KEY = "bench-admin-key";

    private AdminClient() {}

    /** Creates a project with the largest pool limit; returns its project ID and API key. */
    static String[] createProject(int httpPort, String name) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/admin/projects"))
                                .header("x-admin-key", ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"" + name + "\",\"poolLimit\":10000000}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        var project = Json.parse(created.body().getBytes());
        return new String[] {
            project.path("projectId").asText(), project.path("apiKey").asText()
        };
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
