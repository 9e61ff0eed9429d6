package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.SealedSecret;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.Validation;
import dev.tokenpool.schemas.VolumeDeletion;
import dev.tokenpool.schemas.Webhook;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project administration, guarded by {@code x-admin-key}:
 * POST /admin/projects, GET /admin/projects, GET|PATCH /admin/projects/{id},
 * POST /admin/projects/{id}/api-key (issues a new key; the old one stops working),
 * POST /admin/projects/{id}/secret-key (issues the secret key of Secure Data Transmission; the old one
 * stops working), POST /admin/projects/{id}/webhook-secret (a new webhook signing secret; the old one signs too for
 * 24 hours), POST /admin/secret-keys/reseal (seals every secret under the first master key).
 * Bodies follow the token API's rules (JSON object; text/plain, application/json or no Content-Type).
 */
final class AdminApi {
    static final String PROJECTS = "/admin/projects";
    static final String PROJECT = PROJECTS + "/{id}";
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectStore projects;
    private final BodyBudget bodies;
    private final WebhookStatuses webhookStatus;
    private final WebhookDestinations destinations;

    /** A project as the admin API shows it; {@code apiKey} and {@code secretKey} only right after they were issued. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectView(
            String projectId,
            String name,
            long poolLimit,
            SecureTransmission secureTransmission,
            String secretKeyIssuedAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) Expiration expiration,
            boolean deleteOnExpiration,
            @JsonInclude(JsonInclude.Include.ALWAYS) VolumeDeletion volumeDeletion,
            @JsonInclude(JsonInclude.Include.ALWAYS) RateLimit rateLimit,
            String createdAt,
            String updatedAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) WebhookView webhook,
            String apiKey,
            String secretKey) {
        static ProjectView of(ProjectRecord p, Issued issued, WebhookStatuses statuses) {
            return new ProjectView(
                    p.projectId(),
                    p.name(),
                    p.poolLimit(),
                    p.transmission(),
                    p.sealedSecretKey() == null ? null : p.sealedSecretKey().issuedAt(),
                    p.expiration(),
                    p.deleteOnExpiration() == null || p.deleteOnExpiration(),
                    p.volumeDeletion(),
                    p.rateLimit(),
                    p.createdAt(),
                    p.updatedAt(),
                    WebhookView.of(p, issued.webhookSecret(), statuses),
                    issued.apiKey(),
                    issued.secretKey());
        }
    }

    /**
     * A project's webhook as the admin API shows it: its signing secret only right after it was made, and whether
     * delivery finds it failing.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookView(
            String url,
            List<String> events,
            String secretIssuedAt,
            String previousSecretUntil,
            WebhookStatus.Status status,
            String secret) {
        static WebhookView of(ProjectRecord p, String secret, WebhookStatuses statuses) {
            Webhook webhook = p.webhook();
            if (webhook == null) {
                return null;
            }
            return new WebhookView(
                    webhook.url(),
                    webhook.events() == null ? Webhook.EVENTS : webhook.events(),
                    webhook.secret().issuedAt(),
                    webhook.previousSecretUntil(),
                    statuses.of(p.projectId()).orElse(WebhookStatus.Status.HEALTHY),
                    secret);
        }
    }

    /** Where the admin API learns whether a project's webhook is failing. */
    @FunctionalInterface
    interface WebhookStatuses {
        Optional<WebhookStatus.Status> of(String projectId);
    }

    /** Keys issued by a request, answered once; null fields were not issued. */
    record Issued(String apiKey, String secretKey, String webhookSecret) {
        static final Issued NOTHING = new Issued(null, null, null);
    }

    /** A change the admin API refuses once it sees the project it would make. */
    static final class Refused extends RuntimeException {
        final ErrorResponse error;

        Refused(String message) {
            super(message, null, false, false);
            this.error = ErrorCode.INVALID_PAYLOAD.response(message);
        }
    }

    AdminApi(
            Vertx vertx,
            GatewaySettings settings,
            ProjectStore projects,
            BodyBudget bodies,
            WebhookStatuses webhookStatus) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
        this.bodies = bodies;
        this.webhookStatus = webhookStatus;
        this.destinations = settings.webhooks().destinations();
    }

    void addTo(Routes routes) {
        routes.on(
                        HttpMethod.POST,
                        PROJECTS,
                        guarded(request -> withChanges(request, ProjectBody::create, this::create)))
                .on(
                        HttpMethod.GET,
                        PROJECTS,
                        guarded(request -> Responses.json(
                                request.response(),
                                200,
                                projects.all().stream()
                                        .map(p -> ProjectView.of(p, Issued.NOTHING, webhookStatus))
                                        .toList())))
                .on(
                        HttpMethod.GET,
                        PROJECT,
                        guarded((request, id) -> Responses.json(
                                request.response(),
                                200,
                                ProjectView.of(projects.byId(id).orElseThrow(), Issued.NOTHING, webhookStatus))))
                .on(
                        HttpMethod.PATCH,
                        PROJECT,
                        guarded((request, id) -> withChanges(
                                request, ProjectBody::patch, (response, changes) -> patch(response, id, changes))))
                .on(HttpMethod.POST, PROJECT + "/api-key", guarded((request, id) -> {
                    String apiKey = ApiKeys.generate();
                    save(
                            request.response(),
                            200,
                            new Issued(apiKey, null, null),
                            () -> projects.update(id, p -> p.withApiKeyHash(ApiKeys.hash(apiKey), Timestamps.now())));
                }))
                .on(HttpMethod.POST, PROJECT + "/secret-key", guarded((request, id) -> {
                    if (!canKeepSecrets(request.response())) {
                        return;
                    }
                    String secretKey = ApiKeys.generateSecretKey();
                    save(
                            request.response(),
                            200,
                            new Issued(null, secretKey, null),
                            () -> projects.update(id, p -> {
                                String now = Timestamps.now();
                                return p.withSealedSecretKey(
                                        settings.masterKeys().seal(id, secretKey, now), now);
                            }));
                }))
                .on(HttpMethod.POST, PROJECT + "/webhook-secret", guarded((request, id) -> {
                    if (!canKeepSecrets(request.response())) {
                        return;
                    }
                    String secret = WebhookSignature.newSecret();
                    save(
                            request.response(),
                            200,
                            new Issued(null, null, secret),
                            () -> projects.update(id, p -> {
                                if (p.webhook() == null) {
                                    throw new Refused("The project has no webhook: set one with PATCH first.");
                                }
                                Instant now = Instant.now();
                                return p.withWebhook(
                                        p.webhook()
                                                .rotated(
                                                        sealWebhookSecret(id, secret, now),
                                                        now.plus(WebhookDelivery.ROTATION_OVERLAP)),
                                        Timestamps.formatMillis(now.toEpochMilli()));
                            }));
                }))
                .on(HttpMethod.POST, "/admin/secret-keys/reseal", guarded(request -> reseal(request.response())));
    }

    private interface ProjectRoute {
        void handle(HttpServerRequest request, String projectId);
    }

    private Routes.Route guarded(Handler<HttpServerRequest> handler) {
        return guarded((request, id) -> handler.handle(request));
    }

    /** Checks x-admin-key first; a project route is answered project_not_found for an unknown ID. */
    private Routes.Route guarded(ProjectRoute route) {
        return (request, params) -> {
            HttpServerResponse response = request.response();
            if (settings.adminKey() == null || settings.adminKey().isEmpty()) {
                Responses.error(
                        response,
                        ErrorCode.UNAUTHORIZED,
                        "The admin API is off: set TOKENPOOL_ADMIN_KEY to turn it on.");
            } else if (!ApiKeys.matches(settings.adminKey(), request.getHeader("x-admin-key"))) {
                Responses.error(response, ErrorCode.UNAUTHORIZED);
            } else if (params.containsKey("id")
                    && projects.byId(params.get("id")).isEmpty()) {
                Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
            } else {
                route.handle(request, params.get("id"));
            }
        };
    }

    private void create(HttpServerResponse response, ProjectChanges changes) {
        if (!webhookAllowed(response, changes)) {
            return;
        }
        String apiKey = ApiKeys.generate();
        String projectId = newProjectId();
        String webhookSecret = changes.setsWebhook() ? WebhookSignature.newSecret() : null;
        ProjectRecord project;
        try {
            project = checked(changes.applyTo(
                    ProjectRecord.create(
                                    projectId,
                                    changes.name().applyTo(null),
                                    ApiKeys.hash(apiKey),
                                    changes.poolLimit().applyTo(settings.defaultPoolLimit()))
                            .withRateLimit(settings.defaultRateLimit(), Timestamps.now()),
                    Timestamps.now(),
                    webhookSecret == null ? null : sealWebhookSecret(projectId, webhookSecret, Instant.now())));
        } catch (Refused refused) {
            Responses.error(response, refused.error);
            return;
        }
        String secretKey = null;
        if (project.transmission().key() == SecureTransmission.KeySource.SECRET_KEY) {
            if (!canKeepSecrets(response)) {
                return;
            }
            secretKey = ApiKeys.generateSecretKey();
            project = project.withSealedSecretKey(
                    settings.masterKeys().seal(project.projectId(), secretKey, project.createdAt()),
                    project.createdAt());
        }
        ProjectRecord created = project;
        save(response, 201, new Issued(apiKey, secretKey, webhookSecret), () -> {
            projects.create(created);
            return Optional.of(created);
        });
    }

    /**
     * Applies the changes; a project that comes to use a secret key without having one is issued one,
     * answered once as {@code secretKey}.
     */
    private void patch(HttpServerResponse response, String id, ProjectChanges changes) {
        boolean mayNeedSecret = changes.mayNeedSecretKey();
        if ((mayNeedSecret && !canKeepSecrets(response)) || !webhookAllowed(response, changes)) {
            return;
        }
        String secretKey = mayNeedSecret ? ApiKeys.generateSecretKey() : null;
        String webhookSecret = changes.setsWebhook() ? WebhookSignature.newSecret() : null;
        AtomicBoolean issued = new AtomicBoolean();
        AtomicBoolean webhookIssued = new AtomicBoolean();
        vertx.executeBlocking(() -> projects.update(id, p -> {
                    String now = Timestamps.now();
                    ProjectRecord updated = changes.applyTo(
                            p, now, webhookSecret == null ? null : sealWebhookSecret(id, webhookSecret, Instant.now()));
                    if (mayNeedSecret && updated.sealedSecretKey() == null) {
                        issued.set(true);
                        updated = updated.withSealedSecretKey(
                                settings.masterKeys().seal(id, secretKey, now), now);
                    }
                    webhookIssued.set(p.webhook() == null && updated.webhook() != null);
                    return checked(updated);
                }))
                .onComplete(saved -> answerSaved(
                        response,
                        200,
                        new Issued(null, issued.get() ? secretKey : null, webhookIssued.get() ? webhookSecret : null),
                        saved));
    }

    /** Whether the webhook the changes set (if any) may be delivered to; answers the refusal when not. */
    private boolean webhookAllowed(HttpServerResponse response, ProjectChanges changes) {
        if (!(changes.webhook() instanceof Change.Set<ProjectChanges.WebhookTarget>(var target))) {
            return true;
        }
        String refusal = destinations.refusal(target.url());
        if (refusal != null) {
            Responses.error(response, ErrorCode.INVALID_PAYLOAD, refusal);
            return false;
        }
        return canKeepSecrets(response);
    }

    /**
     * The project as it may be saved: one with a webhook cannot encrypt with its API key, which tokenpool keeps only
     * as a one-way hash, so it would have nothing to encrypt the webhook's events with.
     */
    private static ProjectRecord checked(ProjectRecord project) {
        if (project.webhook() != null
                && project.transmission().enabled()
                && project.transmission().key() == SecureTransmission.KeySource.API_KEY) {
            throw new Refused("A project with a webhook encrypts with its secret key: set secureTransmission.key to "
                    + "\"secretKey\" (tokenpool keeps no API key to encrypt webhook events with).");
        }
        return project;
    }

    private SealedSecret sealWebhookSecret(String projectId, String secret, Instant now) {
        return settings.masterKeys()
                .seal(WebhookDelivery.webhookContext(projectId), secret, Timestamps.formatMillis(now.toEpochMilli()));
    }

    /** Whether this gateway has a master key to seal secret keys with; answers the error when not. */
    private boolean canKeepSecrets(HttpServerResponse response) {
        if (settings.masterKeys().present()) {
            return true;
        }
        Responses.error(
                response,
                ErrorCode.INTERNAL_SERVER_ERROR,
                "This gateway has no master key (" + MasterKeys.VARIABLE + "), so it cannot keep a secret key.");
        return false;
    }

    /** Seals every project's secret key under the first master key: the middle step of a master key rotation. */
    private void reseal(HttpServerResponse response) {
        if (!canKeepSecrets(response)) {
            return;
        }
        vertx.executeBlocking(() -> {
                    List<String> resealed = new ArrayList<>();
                    List<String> unreadable = new ArrayList<>();
                    for (ProjectRecord project : projects.all()) {
                        try {
                            if (resealed(project).equals(project)) {
                                continue;
                            }
                            projects.update(project.projectId(), latest -> {
                                try {
                                    return resealed(latest);
                                } catch (MasterKeys.CannotOpen e) {
                                    return latest; // changed meanwhile to what this gateway cannot open: left as it is
                                }
                            });
                            resealed.add(project.projectId());
                        } catch (MasterKeys.CannotOpen e) {
                            log.warn("cannot reseal: {}", e.getMessage());
                            unreadable.add(project.projectId());
                        }
                    }
                    log.info(
                            "resealed {} secret keys under master key {}; {} could not be opened",
                            resealed.size(),
                            settings.masterKeys().sealingId(),
                            unreadable.size());
                    return Map.of(
                            "masterKeyId",
                            settings.masterKeys().sealingId(),
                            "resealed",
                            resealed,
                            "unreadable",
                            unreadable);
                })
                .onComplete(done -> {
                    if (done.failed()) {
                        registryUnavailable(response, done.cause());
                    } else {
                        Responses.json(response, 200, done.result());
                    }
                });
    }

    /** The project with its secret key and webhook secrets sealed under the sealing master key. */
    private ProjectRecord resealed(ProjectRecord project) throws MasterKeys.CannotOpen {
        MasterKeys keys = settings.masterKeys();
        String id = project.projectId();
        ProjectRecord again = project;
        if (project.sealedSecretKey() != null) {
            again = again.withSealedSecretKey(keys.reseal(id, project.sealedSecretKey()), project.updatedAt());
        }
        Webhook webhook = project.webhook();
        if (webhook != null) {
            String context = WebhookDelivery.webhookContext(id);
            again = again.withWebhook(
                    new Webhook(
                            webhook.url(),
                            webhook.events(),
                            keys.reseal(context, webhook.secret()),
                            webhook.previousSecret() == null ? null : keys.reseal(context, webhook.previousSecret()),
                            webhook.previousSecretUntil()),
                    project.updatedAt());
        }
        return again;
    }

    /** Writes to the registry off the event loop and answers with the saved project. */
    private void save(HttpServerResponse response, int status, Issued issued, Callable<Optional<ProjectRecord>> write) {
        vertx.executeBlocking(write).onComplete(saved -> answerSaved(response, status, issued, saved));
    }

    private void answerSaved(
            HttpServerResponse response, int status, Issued issued, AsyncResult<Optional<ProjectRecord>> saved) {
        if (saved.failed() && saved.cause() instanceof Refused refused) {
            Responses.error(response, refused.error);
        } else if (saved.failed()) {
            registryUnavailable(response, saved.cause());
        } else if (saved.result().isEmpty()) {
            Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
        } else {
            ProjectRecord project = saved.result().get();
            SecureTransmission transmission = project.transmission();
            log.info(
                    "saved project {} ({}), pool limit {}, secure transmission {}",
                    project.projectId(),
                    project.name(),
                    project.poolLimit(),
                    transmission.enabled()
                            ? transmission.mode().wire() + " with the "
                                    + transmission.key().wire()
                            : "off");
            Responses.json(response, status, ProjectView.of(project, issued, webhookStatus));
        }
    }

    private static void registryUnavailable(HttpServerResponse response, Throwable cause) {
        log.warn("could not write to the project registry: {}", cause.toString());
        response.putHeader("Retry-After", "5");
        Responses.error(
                response, ErrorCode.SERVICE_UNAVAILABLE, "The project registry could not be written. Retry later.");
    }

    private interface ChangesRoute {
        void handle(HttpServerResponse response, ProjectChanges changes);
    }

    private void withChanges(
            HttpServerRequest request, Function<ObjectNode, Validation<ProjectChanges>> rules, ChangesRoute then) {
        RequestBodies.jsonObject(
                        vertx, request, ProjectBody.MAX_BYTES, settings.http().readTimeout(), bodies)
                .onSuccess(body -> {
                    switch (body.flatMap(rules)) {
                        case Validation.Valid<ProjectChanges> valid -> then.handle(request.response(), valid.value());
                        case Validation.Invalid<ProjectChanges> invalid ->
                            Responses.error(request.response(), invalid.error());
                    }
                });
    }

    private static String newProjectId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "p-" + HexFormat.of().formatHex(bytes);
    }
}
