package dev.tokenpool.gateway;

import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.runtime.Resources;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ProjectRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the HTTP server, its command bus and reply topic, the project registry. Besides
 * the API it serves /health/live, /health/ready, /metrics and /openapi.yaml. Everything it opens is
 * closed by {@link #close()}, and by a start that fails half way.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** The project of readiness probes: never registered (project IDs the admin API issues start with "p-"). */
    static final String PROBE_PROJECT = "tokenpool.readiness-probe";
    /** An answer this recent (to anyone) proves the processor answers: no probe is sent. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    /** How long a readiness check waits for its probe's answer (it comes in milliseconds when all is well). */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    /** With no answer for this long, the processor counts as not answering. */
    private static final Duration PROCESSOR_SILENCE = Duration.ofSeconds(6);

    private final GatewaySettings settings;
    private final Resources resources = new Resources();
    private final CommandBus commands;
    private final ProjectRegistry projects;
    private final Vertx vertx;
    private final HttpServer server;
    private final WebhookStatus webhookStatus;
    private final Map<String, BooleanSupplier> extraChecks = new ConcurrentHashMap<>();
    /** The probe in flight, if any: concurrent readiness checks share it. */
    private CompletableFuture<?> probe;

    private Gateway(GatewaySettings settings, PrometheusMeterRegistry metrics, LocalReads localReads) throws Exception {
        this.settings = settings;
        try {
            // One admin client for the gateway's life: topic creation here, the commands topic check, registry ends.
            Map<String, Object> adminConfig = settings.kafka().clientConfig();
            adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "tokenpool-gateway-admin-" + settings.gatewayId());
            Admin admin = resources.add(Admin.create(adminConfig));
            // The registry topic may not exist yet when the gateway starts before any processor.
            KafkaTopics.createIfMissing(
                    admin,
                    new NewTopic(settings.projectsTopic(), 1, (short) -1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            WebhookTopics.create(admin, settings);
            this.commands = resources.add(new CommandBus(settings, admin, metrics));
            this.projects = resources.add(new ProjectRegistry(settings, admin, metrics));
            projects.awaitLoaded(Duration.ofSeconds(60));
            Vertx vertx = Vertx.vertx();
            this.vertx = vertx;
            resources.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
            this.webhookStatus = resources.add(new WebhookStatus(settings, metrics));
            if (settings.webhooks().enabled()) {
                // Only once the registry is loaded: an event of a project not read yet would find no webhook.
                resources.add(new WebhookDelivery(settings, projects, webhookStatus, vertx, metrics));
            }
            GatewayMetrics counts = new GatewayMetrics(metrics);
            ConnectionGuard guard = new ConnectionGuard(
                    vertx,
                    settings.http().maxConnections(),
                    settings.http().maxConnectionsPerAddress(),
                    settings.http().headTimeout(),
                    refusal -> counts.refused(
                            switch (refusal) {
                                case CONNECTIONS -> GatewayMetrics.Refused.CONNECTIONS;
                                case HEAD_TIMEOUT -> GatewayMetrics.Refused.HEAD_TIMEOUT;
                            }));
            BodyBudget bodies = new BodyBudget(
                    settings.http().bodyBudgetBytes(),
                    settings.http().bodyBudgetPerAddress(),
                    () -> counts.refused(GatewayMetrics.Refused.BODY_BUDGET));
            CommandSender sender = commands;
            if (localReads != null) {
                sender = new LocalFirstReads(
                        commands, LocalFirstReads.inThisJvm(localReads), "local", projects, metrics);
            } else if (settings.routing().active()) {
                RoutedReads routed = resources.add(new RoutedReads(vertx, settings.routing()));
                sender = new LocalFirstReads(commands, routed, "routed", projects, metrics);
            }
            Handler<HttpServerRequest> routes = routes(metrics, counts, bodies, sender);
            // HTTP/1.1 only: the API needs nothing else, and no cleartext HTTP/2 detection sits in front of it.
            this.server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(settings.http().host())
                            .setPort(settings.http().port())
                            .setHttp2ClearTextEnabled(false)
                            .setIdleTimeout((int) settings.http().idleTimeout().toMillis())
                            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                    .connectionHandler(guard::accepted)
                    .invalidRequestHandler(request -> {
                        guard.headArrived(request);
                        malformed(request);
                    })
                    .requestHandler(request -> {
                        guard.headArrived(request);
                        routes.handle(request);
                    })
                    .listen()
                    .await(30, TimeUnit.SECONDS);
            resources.add(() -> server.close().await(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            resources.close();
            throw e;
        }
    }

    private Handler<HttpServerRequest> routes(
            PrometheusMeterRegistry metrics, GatewayMetrics counts, BodyBudget bodies, CommandSender tokenCommands)
            throws IOException {
        byte[] openApi = resource("/openapi.yaml");
        Routes routes = new Routes()
                .on(
                        HttpMethod.GET,
                        "/health/live",
                        request -> Responses.json(request.response(), 200, Map.of("status", "UP")))
                .on(HttpMethod.GET, "/health/ready", request -> {
                    var context = vertx.getOrCreateContext();
                    readiness()
                            .thenAccept(checks -> context.runOnContext(v -> {
                                boolean ready = !checks.containsValue("DOWN");
                                Responses.json(
                                        request.response(),
                                        ready ? 200 : 503,
                                        Map.of("status", ready ? "UP" : "DOWN", "checks", checks));
                            }));
                })
                .on(
                        HttpMethod.GET,
                        "/metrics",
                        request -> request.response()
                                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(metrics.scrape()))
                .on(
                        HttpMethod.GET,
                        "/openapi.yaml",
                        request -> request.response()
                                .putHeader("Content-Type", "application/yaml")
                                .end(Buffer.buffer(openApi)));
        new TokenApi(vertx, settings, projects, tokenCommands, counts, bodies).addTo(routes);
        new AdminApi(vertx, settings, projects, bodies, webhookStatus::of).addTo(routes);
        return routes;
    }

    /** Connects to Kafka, loads the project registry and starts serving HTTP; closes all it opened if that fails. */
    public static Gateway start(GatewaySettings settings, PrometheusMeterRegistry metrics) throws Exception {
        return start(settings, metrics, null);
    }

    /**
     * A gateway that answers the reads it can from {@code localReads} (the pool stores of a processor in
     * this JVM), and everything else through Kafka; null: everything through Kafka.
     */
    public static Gateway start(GatewaySettings settings, PrometheusMeterRegistry metrics, LocalReads localReads)
            throws Exception {
        Gateway gateway = new Gateway(settings, metrics, localReads);
        log.info(
                "gateway {} listening on http://{}:{} (Kafka {}, replies on {}; head timeout {} ms, idle timeout {} ms, body"
                        + " read timeout {} ms, at most {} connections, {} an address)",
                settings.gatewayId(),
                settings.http().host(),
                gateway.port(),
                settings.kafka(),
                settings.replyTopic(),
                settings.http().headTimeout().toMillis(),
                settings.http().idleTimeout().toMillis(),
                settings.http().readTimeout().toMillis(),
                settings.http().maxConnections(),
                settings.http().maxConnectionsPerAddress());
        if (localReads != null) {
            log.info(
                    "gateway {} answers lookups, lists and counts from the processor's stores in this JVM when it can",
                    settings.gatewayId());
        } else if (settings.routing().active()) {
            log.info(
                    "gateway {} sends lookups, lists and counts to the processor that holds the pool when it can (asking {})",
                    settings.gatewayId(),
                    settings.routing().processors());
        }
        if (settings.adminKey() == null || settings.adminKey().isEmpty()) {
            log.warn("TOKENPOOL_ADMIN_KEY is not set: the admin API is off");
        }
        return gateway;
    }

    public int port() {
        return server.actualPort();
    }

    /** Ready when every check of /health/ready is UP (waits for a probe when nothing was answered lately). */
    public boolean isReady() {
        try {
            return !readiness()
                    .get(PROBE_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .containsValue("DOWN");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A gateway knows that commands are answered only by seeing answers. When none came lately, a
     * readiness check sends a lookup in a project that cannot exist, which the processor answers with
     * invalid_project, and waits for it a moment. Probes go out only when someone asks: an idle gateway
     * nobody checks sends nothing, so an idle deployment commits no transactions.
     */
    private CompletableFuture<Map<String, String>> readiness() {
        if (commands.answeredWithin(PROBE_EVERY)) {
            return CompletableFuture.completedFuture(checks());
        }
        return probe().handle((answer, error) -> null)
                .completeOnTimeout(null, PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> checks());
    }

    private synchronized CompletableFuture<?> probe() {
        if (probe == null || probe.isDone()) {
            probe = commands.submit(PROBE_PROJECT, new PoolCommand.GetToken("readiness-probe"), null, null);
        }
        return probe;
    }

    /**
     * Adds a part that must be up for this gateway to be ready, for embedding programs: the standalone
     * adds its processor's stores (the probe only proves that the probe's own partition is answered).
     */
    public void addReadinessCheck(String name, BooleanSupplier up) {
        extraChecks.put(name, up);
    }

    private Map<String, String> checks() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("projectRegistry", projects.isLoaded() ? "UP" : "DOWN");
        checks.put("replies", commands.isReady() ? "UP" : "DOWN");
        checks.put("kafka", commands.kafkaAnswers() ? "UP" : "DOWN");
        checks.put("processor", commands.answeredWithin(PROCESSOR_SILENCE) ? "UP" : "DOWN");
        extraChecks.forEach((name, up) -> checks.put(name, up.getAsBoolean() ? "UP" : "DOWN"));
        return checks;
    }

    /** The project registry as this gateway sees it, for embedding programs. */
    public Optional<ProjectRecord> project(String projectId) {
        return projects.byId(projectId);
    }

    /** Writes a project to the registry, for embedding programs (the admin API does the same over HTTP). */
    public void saveProject(ProjectRecord project) throws Exception {
        projects.create(project);
    }

    /**
     * A request the HTTP codec could not read (bad request line or headers): 400, and the connection
     * closes. (A request in an HTTP version other than 1.0 or 1.1 is answered 501 by Vert.x itself.)
     */
    private static void malformed(HttpServerRequest request) {
        String problem = request.decoderResult().cause() instanceof io.netty.handler.codec.TooLongFrameException
                ? "request line or headers too long"
                : "malformed request";
        request.response().putHeader("Connection", "close");
        Responses.error(
                request.response(), ErrorCode.INVALID_PATH, "The HTTP request cannot be read: " + problem + ".");
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
        resources.close();
    }
}
