package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.gateway.LocalReads;
import dev.tokenpool.gateway.MasterKeys;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.Directories;
import dev.tokenpool.schemas.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A processor and gateways on the test broker, on topics of their own (named after the test), so
 * test classes sharing the broker never see each other's records.
 */
final class TokenPoolStack implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key";

    final String name;
    final Map<String, String> env;
    final ProcessorService processor;
    final List<Gateway> gateways = new ArrayList<>();
    /** Processor instances beyond the first, in the same group (same application ID), each with its own state. */
    final List<ProcessorService> moreProcessors = new ArrayList<>();

    private final List<Path> stateDirs = new ArrayList<>();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TokenPoolStack(String name, Map<String, String> env, ProcessorService processor) {
        this.name = name;
        this.env = env;
        this.processor = processor;
        this.stateDirs.add(Path.of(env.get("TOKENPOOL_STATE_DIR")));
    }

    static TokenPoolStack start(String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TOKENPOOL_COMMANDS_TOPIC", name + ".commands");
        env.put("TOKENPOOL_DEAD_LETTER_TOPIC", name + ".dead-letters");
        env.put("TOKENPOOL_PROJECTS_TOPIC", name + ".projects");
        env.put("TOKENPOOL_REPLY_TOPIC_PREFIX", name + ".replies.");
        env.put("TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX", name + ".gateway-replies.");
        env.put("TOKENPOOL_EVENTS_TOPIC", name + ".events");
        env.put("TOKENPOOL_AUDIT_TOPIC", name + ".audit");
        env.put("TOKENPOOL_WEBHOOK_TOPIC_PREFIX", name + ".webhooks.");
        env.put("TOKENPOOL_WEBHOOK_GROUP", name + "-webhooks");
        return start(name, env);
    }

    /** A stack (on topics of its own) on another broker than the test run's. */
    static TokenPoolStack startOn(String name, String bootstrapServers) throws Exception {
        return startOn(name, bootstrapServers, Map.of());
    }

    /** The same, with further environment variables. */
    static TokenPoolStack startOn(String name, String bootstrapServers, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(ownTopics(name));
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", bootstrapServers);
        return start(name, env);
    }

    /** The settings that give the stack named {@code name} topics of its own: tests on one broker stay apart. */
    static Map<String, String> ownTopics(String name) {
        return Map.of(
                "TOKENPOOL_REPLY_TOPIC_PREFIX", name + ".replies.",
                "TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX", name + ".gateway-replies.",
                "TOKENPOOL_COMMANDS_TOPIC", name + ".commands",
                "TOKENPOOL_DEAD_LETTER_TOPIC", name + ".dead-letters",
                "TOKENPOOL_PROJECTS_TOPIC", name + ".projects",
                "TOKENPOOL_EVENTS_TOPIC", name + ".events",
                "TOKENPOOL_AUDIT_TOPIC", name + ".audit",
                "TOKENPOOL_WEBHOOK_TOPIC_PREFIX", name + ".webhooks.",
                "TOKENPOOL_WEBHOOK_GROUP", name + "-webhooks");
    }

    /** A stack on tokenpool's default topic names, as a user's first start has it (one per test run). */
    static TokenPoolStack startOnDefaultTopics(String name) throws Exception {
        return start(name, new HashMap<>());
    }

    private static TokenPoolStack start(String name, Map<String, String> env) throws Exception {
        env.computeIfAbsent("TOKENPOOL_BOOTSTRAP_SERVERS", unset -> KafkaBroker.bootstrapServers());
        env.put("TOKENPOOL_APPLICATION_ID", name);
        env.putIfAbsent("TOKENPOOL_COMMAND_PARTITIONS", "2");
        env.put("TOKENPOOL_STATE_DIR", DataDirs.dir("tokenpool-it").toString());
        env.put("TOKENPOOL_ADMIN_KEY", ADMIN_KEY);
        env.put("TOKENPOOL_HTTP_PORT", "0");
        env.putIfAbsent(MasterKeys.VARIABLE, MasterKeys.generate());
        ProcessorService processor = ProcessorService.start(
                ProcessorSettings.fromEnv(env), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        TokenPoolStack stack = new TokenPoolStack(name, env, processor);
        stack.addGateway("gw-a");
        processor.awaitRunning(Duration.ofMinutes(1));
        return stack;
    }

    Gateway addGateway(String id) throws Exception {
        return addGateway(id, Map.of());
    }

    /** A gateway with these settings over the stack's own (TOKENPOOL_* variable → value). */
    Gateway addGateway(String id, Map<String, String> settings) throws Exception {
        return addGateway(id, settings, null);
    }

    /** A gateway that answers reads from this stack's processor when it can, as the standalone's does. */
    Gateway addLocalGateway(String id) throws Exception {
        return addLocalGateway(id, processor);
    }

    /** A gateway beside {@code beside}: it answers reads of that instance's partitions from its stores. */
    Gateway addLocalGateway(String id, ProcessorService beside) throws Exception {
        return addGateway(id, Map.of(), beside.localReads()::read);
    }

    /** Another processor instance of the same application: the command partitions are shared between them. */
    ProcessorService addProcessor() throws Exception {
        Map<String, String> own = new HashMap<>(env);
        Path stateDir = DataDirs.dir("tokenpool-it");
        stateDirs.add(stateDir);
        own.put("TOKENPOOL_STATE_DIR", stateDir.toString());
        ProcessorService another = ProcessorService.start(
                ProcessorSettings.fromEnv(own), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        moreProcessors.add(another);
        another.awaitRunning(Duration.ofMinutes(1));
        return another;
    }

    private Gateway addGateway(String id, Map<String, String> settings, LocalReads localReads) throws Exception {
        Gateway gateway = Gateway.start(
                gatewaySettings(id, settings), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), localReads);
        gateways.add(gateway);
        return gateway;
    }

    /** The settings of this stack's gateway {@code id}: the stack's, these over them, any free port. */
    GatewaySettings gatewaySettings(String id, Map<String, String> settings) {
        Map<String, String> own = new HashMap<>(env);
        own.put("TOKENPOOL_GATEWAY_ID", name + "-" + id);
        own.putAll(settings);
        return GatewaySettings.fromEnv(own);
    }

    Gateway gateway() {
        return gateways.getFirst();
    }

    /** The reply topic of this stack's gateway {@code id} ("gw-a" is the first). */
    String replyTopic(String id) {
        return gatewaySettings(id, Map.of()).replyTopic();
    }

    String url(Gateway gateway, String path) {
        return "http://localhost:" + gateway.port() + path;
    }

    /** One HTTP exchange: status, body as JSON (when it is JSON) and headers. */
    record Answer(int status, String text, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.parse(text.getBytes());
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String errorCode() {
            return json().path("errorCode").asText();
        }
    }

    Answer call(Gateway gateway, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(gateway, path)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** A token API call as the spec's curl examples make it: x-api-key and Content-Type text/plain. */
    Answer tokens(Gateway gateway, String method, String apiKey, String body) throws Exception {
        return tokens(gateway, method, "", apiKey, body, "text/plain");
    }

    /** A request of the token API with a query ("" for none) and a body of the given type. */
    Answer tokens(Gateway gateway, String method, String query, String apiKey, String body, String contentType)
            throws Exception {
        return call(
                gateway,
                method,
                "/v3/submission/tokens" + query,
                body,
                "x-api-key",
                apiKey,
                "Content-Type",
                contentType);
    }

    Answer tokens(String method, String apiKey, String body) throws Exception {
        return tokens(gateway(), method, apiKey, body);
    }

    Answer getToken(String apiKey, String tokenId) throws Exception {
        return call(gateway(), "GET", "/v3/submission/tokens?tokenId=" + tokenId, null, "x-api-key", apiKey);
    }

    /**
     * Waits until a gateway knows the project of {@code apiKey} and the processor serves it (both read
     * the registry topic): until then a request is answered invalid_project by one or the other.
     */
    void awaitApiKey(Gateway gateway, String apiKey) throws Exception {
        Deadline.await(
                Duration.ofSeconds(30),
                () -> !call(gateway, "GET", "/v3/submission/tokens?tokenId=warmup-01", null, "x-api-key", apiKey)
                        .errorCode()
                        .equals("invalid_project"),
                () -> "gateway learns of the API key");
    }

    /** tokenpool_gateway_reads_total{path=...} of the gateway's /metrics: reads answered locally or through Kafka. */
    double reads(Gateway gateway, String path) throws Exception {
        return metric(gateway, "tokenpool_gateway_reads_total", "path", path);
    }

    /** The value of the gateway's metric {@code name} whose label {@code label} is {@code value}. */
    double metric(Gateway gateway, String name, String label, String value) throws Exception {
        String metrics = call(gateway, "GET", "/metrics", null).text();
        Matcher line = Pattern.compile(
                        "(?m)^" + name + "\\{[^}]*" + label + "=\"" + Pattern.quote(value) + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(line.find()).as(metrics).isTrue();
        return Double.parseDouble(line.group(1));
    }

    /** Creates a project through the admin API, waits until it is served, and returns it (with its API key). */
    JsonNode createProject(String projectName, Long poolLimit) throws Exception {
        String body =
                "{\"name\":\"" + projectName + "\"" + (poolLimit == null ? "" : ",\"poolLimit\":" + poolLimit) + "}";
        Answer created = call(
                gateway(),
                "POST",
                "/admin/projects",
                body,
                "x-admin-key",
                ADMIN_KEY,
                "Content-Type",
                "application/json");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        awaitApiKey(gateway(), created.json().get("apiKey").asText());
        return created.json();
    }

    /** Issues the project a new API key through the admin API and returns it; the old one stops working. */
    String rotateApiKey(String projectId) throws Exception {
        Answer issued =
                call(gateway(), "POST", "/admin/projects/" + projectId + "/api-key", null, "x-admin-key", ADMIN_KEY);
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        return issued.json().path("apiKey").asText();
    }

    @Override
    public void close() {
        gateways.forEach(Gateway::close);
        moreProcessors.forEach(ProcessorService::close);
        processor.close();
        stateDirs.forEach(Directories::delete);
    }
}
