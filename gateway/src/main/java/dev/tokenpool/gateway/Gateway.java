package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the HTTP server, its reply topic, the project registry and the metrics.
 * Besides the API it serves /health/live, /health/ready, /metrics and /openapi.yaml.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewaySettings settings;
    private final Vertx vertx;
    private final CommandBus commands;
    private final ProjectRegistry projects;
    private final PrometheusMeterRegistry registry;
    private final KafkaClientMetrics producerMetrics;
    private final KafkaClientMetrics replyMetrics;
    private final TokenApi tokenApi;
    private final AdminApi adminApi;
    private final byte[] openApi;
    private final HttpServer server;

    private Gateway(GatewaySettings settings, PrometheusMeterRegistry registry) throws Exception {
        this.settings = settings;
        this.registry = registry;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            // The registry topic may not exist yet when the gateway starts before any processor.
            KafkaClients.createIfMissing(admin, new NewTopic(settings.projectsTopic(), 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            this.commands = new CommandBus(settings, admin);
        }
        this.projects = new ProjectRegistry(settings.bootstrapServers(), settings.projectsTopic(), commands.producer(),
                "tokenpool-gateway-projects-" + settings.gatewayId());
        projects.awaitLoaded(Duration.ofSeconds(60));
        this.producerMetrics = new KafkaClientMetrics(commands.producer());
        producerMetrics.bindTo(registry);
        this.replyMetrics = new KafkaClientMetrics(commands.replyConsumer());
        replyMetrics.bindTo(registry);
        Gauge.builder("tokenpool.gateway.in.flight", commands, CommandBus::inFlight)
                .description("Commands published and waiting for their result").register(registry);
        this.vertx = Vertx.vertx();
        GatewayMetrics metrics = new GatewayMetrics(registry);
        this.tokenApi = new TokenApi(vertx, settings, projects, commands, metrics);
        this.adminApi = new AdminApi(vertx, settings, projects);
        this.openApi = resource("/openapi.yaml");
        this.server = vertx.createHttpServer(new HttpServerOptions().setPort(settings.httpPort()))
                .requestHandler(this::route)
                .listen()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Connects to Kafka, loads the project registry and starts serving HTTP. */
    public static Gateway start(GatewaySettings settings, PrometheusMeterRegistry registry) throws Exception {
        Gateway gateway = new Gateway(settings, registry);
        log.info("gateway {} listening on http://localhost:{} (Kafka {}, replies on {})", settings.gatewayId(),
                gateway.port(), settings.bootstrapServers(), settings.replyTopic());
        if (settings.adminKey() == null) {
            log.warn("TOKENPOOL_ADMIN_KEY is not set: the admin API is off");
        }
        return gateway;
    }

    public int port() {
        return server.actualPort();
    }

    public boolean isReady() {
        return projects.isLoaded() && commands.isReady();
    }

    /** The project registry as this gateway sees it, for embedding programs. */
    public java.util.Optional<dev.tokenpool.schemas.ProjectRecord> project(String projectId) {
        return projects.byId(projectId);
    }

    /** Writes a project to the registry, for embedding programs (the admin API does the same over HTTP). */
    public void saveProject(dev.tokenpool.schemas.ProjectRecord project) throws Exception {
        projects.save(project);
    }

    private void route(HttpServerRequest request) {
        String path = request.path();
        if (path.equals(TokenApi.PATH)) {
            tokenApi.handle(request);
        } else if (path.equals(AdminApi.PREFIX) || path.startsWith(AdminApi.PREFIX + "/")) {
            adminApi.handle(request);
        } else if (path.equals("/health/live")) {
            Responses.json(request.response(), 200, Map.of("status", "UP"));
        } else if (path.equals("/health/ready")) {
            boolean ready = isReady();
            Responses.json(request.response(), ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN"));
        } else if (path.equals("/metrics")) {
            request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        } else if (path.equals("/openapi.yaml")) {
            request.response().putHeader("Content-Type", "application/yaml").end(Buffer.buffer(openApi));
        } else {
            Responses.error(request.response(), ErrorCode.INVALID_PATH, "No such path: " + path);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Gateway.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the gateway jar");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        log.info("stopping gateway {}", settings.gatewayId());
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        producerMetrics.close();
        replyMetrics.close();
        projects.close();
        commands.close();
    }
}
