package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.VolumeDeletion;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.SealedSecret;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project administration, guarded by {@code x-admin-key}:
 * POST /admin/projects, GET /admin/projects, GET|PATCH /admin/projects/{id},
 * POST /admin/projects/{id}/api-key (issues a new key; the old one stops working),
 * POST /admin/projects/{id}/secret-key (issues the secret key of Secure Data Transmission; the old one
 * stops working), POST /admin/secret-keys/reseal (seals every secret key under the first master key).
 * Bodies follow the token API's rules (JSON object; text/plain, application/json or no Content-Type).
 */
final class AdminApi {
    static final String PROJECTS = "/admin/projects";
    static final String PROJECT = PROJECTS + "/{id}";
    static final long MAX_POOL_LIMIT = 10_000_000;
    static final int MAX_NAME_LENGTH = 100;
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectStore projects;
    private final BodyBudget bodies;

    /** A project as the admin API shows it; {@code apiKey} and {@code secretKey} only right after they were issued. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectView(String projectId, String name, long poolLimit, SecureTransmission secureTransmission,
                       String secretKeyIssuedAt, @JsonInclude(JsonInclude.Include.ALWAYS) Expiration expiration,
                       boolean deleteOnExpiration, @JsonInclude(JsonInclude.Include.ALWAYS) VolumeDeletion volumeDeletion,
                       @JsonInclude(JsonInclude.Include.ALWAYS) RateLimit rateLimit,
                       String createdAt, String updatedAt, String apiKey, String secretKey) {
        static ProjectView of(ProjectRecord p, Issued issued) {
            return new ProjectView(p.projectId(), p.name(), p.poolLimit(), p.transmission(),
                    p.sealedSecretKey() == null ? null : p.sealedSecretKey().issuedAt(), p.expiration(),
                    p.deleteOnExpiration() == null || p.deleteOnExpiration(), p.volumeDeletion(), p.rateLimit(),
                    p.createdAt(), p.updatedAt(), issued.apiKey(), issued.secretKey());
        }
    }

    /** Keys issued by a request, answered once; null fields were not issued. */
    record Issued(String apiKey, String secretKey) {
        static final Issued NOTHING = new Issued(null, null);
    }

    /** The Secure Data Transmission fields a body sets; null fields stay as they are. */
    record TransmissionChanges(Boolean enabled, TransmissionCipher.Mode mode, SecureTransmission.KeySource key) {
        SecureTransmission applyTo(SecureTransmission current) {
            return new SecureTransmission(enabled == null ? current.enabled() : enabled,
                    mode == null ? current.mode() : mode, key == null ? current.key() : key);
        }
    }

    /**
     * The settings a create or PATCH body sets; null fields stay as they are. {@code expiration} and
     * {@code volumeDeletion} may also be set to none: an empty Optional.
     */
    record ProjectChanges(String name, Long poolLimit, TransmissionChanges secureTransmission,
                          Optional<Expiration> expiration, Boolean deleteOnExpiration, Optional<VolumeDeletion> volumeDeletion,
                          Change<Integer> requestsPerSecond, Change<Long> requestsPerDay) {
        ProjectChanges(String name, Long poolLimit, TransmissionChanges secureTransmission) {
            this(name, poolLimit, secureTransmission, null, null, null, Change.keep(), Change.keep());
        }

        /** The rate limit after these changes, from {@code current} (null: none). */
        RateLimit rateLimit(RateLimit current) {
            return RateLimit.orNone(requestsPerSecond.applyTo(current == null ? null : current.requestsPerSecond()),
                    requestsPerDay.applyTo(current == null ? null : current.requestsPerDay()));
        }

        ProjectRecord applyTo(ProjectRecord project, String now) {
            ProjectRecord updated = project;
            if (name != null) {
                updated = updated.withName(name, now);
            }
            if (poolLimit != null) {
                updated = updated.withPoolLimit(poolLimit, now);
            }
            if (secureTransmission != null) {
                updated = updated.withSecureTransmission(secureTransmission.applyTo(updated.transmission()), now);
            }
            if (expiration != null || deleteOnExpiration != null || volumeDeletion != null) {
                updated = updated.withLifecycle(
                        expiration == null ? updated.expiration() : expiration.orElse(null),
                        deleteOnExpiration == null ? updated.deleteOnExpiration() : deleteOnExpiration,
                        volumeDeletion == null ? updated.volumeDeletion() : volumeDeletion.orElse(null), now);
            }
            if (!(requestsPerSecond instanceof Change.Keep<Integer> && requestsPerDay instanceof Change.Keep<Long>)) {
                updated = updated.withRateLimit(rateLimit(updated.rateLimit()), now);
            }
            return updated;
        }
    }

    AdminApi(Vertx vertx, GatewaySettings settings, ProjectStore projects, BodyBudget bodies) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
        this.bodies = bodies;
    }

    void addTo(Routes routes) {
        routes.on(HttpMethod.POST, PROJECTS, guarded(request -> withChanges(request, true, this::create)))
              .on(HttpMethod.GET, PROJECTS, guarded(request -> Responses.json(request.response(), 200,
                      projects.all().stream().map(p -> ProjectView.of(p, Issued.NOTHING)).toList())))
              .on(HttpMethod.GET, PROJECT, guarded((request, id) -> Responses.json(request.response(), 200,
                      ProjectView.of(projects.byId(id).orElseThrow(), Issued.NOTHING))))
              .on(HttpMethod.PATCH, PROJECT, guarded((request, id) -> withChanges(request, false,
                      (response, changes) -> patch(response, id, changes))))
              .on(HttpMethod.POST, PROJECT + "/api-key", guarded((request, id) -> {
                  String apiKey = ApiKeys.generate();
                  save(request.response(), 200, new Issued(apiKey, null),
                          () -> projects.update(id, p -> p.withApiKeyHash(ApiKeys.hash(apiKey), Timestamps.now())));
              }))
              .on(HttpMethod.POST, PROJECT + "/secret-key", guarded((request, id) -> {
                  if (!canKeepSecrets(request.response())) {
                      return;
                  }
                  String secretKey = ApiKeys.generateSecretKey();
                  save(request.response(), 200, new Issued(null, secretKey), () -> projects.update(id, p -> {
                      String now = Timestamps.now();
                      return p.withSealedSecretKey(settings.masterKeys().seal(id, secretKey, now), now);
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
                Responses.error(response, ErrorCode.UNAUTHORIZED, "The admin API is off: set TOKENPOOL_ADMIN_KEY to turn it on.");
            } else if (!ApiKeys.matches(settings.adminKey(), request.getHeader("x-admin-key"))) {
                Responses.error(response, ErrorCode.UNAUTHORIZED);
            } else if (params.containsKey("id") && projects.byId(params.get("id")).isEmpty()) {
                Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
            } else {
                route.handle(request, params.get("id"));
            }
        };
    }

    private void create(HttpServerResponse response, ProjectChanges changes) {
        String apiKey = ApiKeys.generate();
        ProjectRecord project = changes.applyTo(ProjectRecord.create(newProjectId(), changes.name(), ApiKeys.hash(apiKey),
                changes.poolLimit() == null ? settings.defaultPoolLimit() : changes.poolLimit())
                .withRateLimit(settings.defaultRateLimit(), Timestamps.now()), Timestamps.now());
        String secretKey = null;
        if (project.transmission().key() == SecureTransmission.KeySource.SECRET_KEY) {
            if (!canKeepSecrets(response)) {
                return;
            }
            secretKey = ApiKeys.generateSecretKey();
            project = project.withSealedSecretKey(settings.masterKeys().seal(project.projectId(), secretKey,
                    project.createdAt()), project.createdAt());
        }
        ProjectRecord created = project;
        save(response, 201, new Issued(apiKey, secretKey), () -> {
            projects.create(created);
            return Optional.of(created);
        });
    }

    /**
     * Applies the changes; a project that comes to use a secret key without having one is issued one,
     * answered once as {@code secretKey}.
     */
    private void patch(HttpServerResponse response, String id, ProjectChanges changes) {
        TransmissionChanges transmission = changes.secureTransmission();
        boolean mayNeedSecret = transmission != null && transmission.key() == SecureTransmission.KeySource.SECRET_KEY;
        if (mayNeedSecret && !canKeepSecrets(response)) {
            return;
        }
        String secretKey = mayNeedSecret ? ApiKeys.generateSecretKey() : null;
        AtomicBoolean issued = new AtomicBoolean();
        vertx.executeBlocking(() -> projects.update(id, p -> {
            String now = Timestamps.now();
            ProjectRecord updated = changes.applyTo(p, now);
            if (mayNeedSecret && updated.sealedSecretKey() == null) {
                issued.set(true);
                updated = updated.withSealedSecretKey(settings.masterKeys().seal(id, secretKey, now), now);
            }
            return updated;
        })).onComplete(saved -> answerSaved(response, 200, issued.get() ? new Issued(null, secretKey) : Issued.NOTHING, saved));
    }

    /** Whether this gateway has a master key to seal secret keys with; answers the error when not. */
    private boolean canKeepSecrets(HttpServerResponse response) {
        if (settings.masterKeys().present()) {
            return true;
        }
        Responses.error(response, ErrorCode.INTERNAL_SERVER_ERROR,
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
                SealedSecret sealed = project.sealedSecretKey();
                if (sealed == null || sealed.masterKeyId().equals(settings.masterKeys().sealingId())) {
                    continue;
                }
                try {
                    SealedSecret again = settings.masterKeys().reseal(project.projectId(), sealed);
                    projects.update(project.projectId(), p -> sealed.equals(p.sealedSecretKey())
                            ? p.withSealedSecretKey(again, Timestamps.now()) : p);
                    resealed.add(project.projectId());
                } catch (MasterKeys.CannotOpen e) {
                    log.warn("cannot reseal: {}", e.getMessage());
                    unreadable.add(project.projectId());
                }
            }
            log.info("resealed {} secret keys under master key {}; {} could not be opened",
                    resealed.size(), settings.masterKeys().sealingId(), unreadable.size());
            return Map.of("masterKeyId", settings.masterKeys().sealingId(), "resealed", resealed, "unreadable", unreadable);
        }).onComplete(done -> {
            if (done.failed()) {
                registryUnavailable(response, done.cause());
            } else {
                Responses.json(response, 200, done.result());
            }
        });
    }

    /** Writes to the registry off the event loop and answers with the saved project. */
    private void save(HttpServerResponse response, int status, Issued issued, Callable<Optional<ProjectRecord>> write) {
        vertx.executeBlocking(write).onComplete(saved -> answerSaved(response, status, issued, saved));
    }

    private void answerSaved(HttpServerResponse response, int status, Issued issued, AsyncResult<Optional<ProjectRecord>> saved) {
        if (saved.failed()) {
            registryUnavailable(response, saved.cause());
        } else if (saved.result().isEmpty()) {
            Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
        } else {
            ProjectRecord project = saved.result().get();
            SecureTransmission transmission = project.transmission();
            log.info("saved project {} ({}), pool limit {}, secure transmission {}", project.projectId(), project.name(),
                    project.poolLimit(), transmission.enabled() ? transmission.mode().wire() + " with the " + transmission.key().wire() : "off");
            Responses.json(response, status, ProjectView.of(project, issued));
        }
    }

    private static void registryUnavailable(HttpServerResponse response, Throwable cause) {
        log.warn("could not write to the project registry: {}", cause.toString());
        response.putHeader("Retry-After", "5");
        Responses.error(response, ErrorCode.SERVICE_UNAVAILABLE, "The project registry could not be written. Retry later.");
    }

    private interface ChangesRoute {
        void handle(HttpServerResponse response, ProjectChanges changes);
    }

    private void withChanges(HttpServerRequest request, boolean creating, ChangesRoute then) {
        RequestBodies.jsonObject(vertx, request, MAX_BODY_BYTES, settings.readTimeout(), bodies).onSuccess(body -> {
            switch (body.flatMap(fields -> changes(fields, creating))) {
                case Validation.Valid<ProjectChanges> valid -> then.handle(request.response(), valid.value());
                case Validation.Invalid<ProjectChanges> invalid -> Responses.error(request.response(), invalid.error());
            }
        });
    }

    /**
     * Checks name (1 to 100 characters), poolLimit (1 to 10,000,000) and secureTransmission
     * ({@code {"enabled": bool, "mode": "ecb"|"gcm", "key": "apiKey"|"secretKey"}}, any of them); unknown
     * fields are refused.
     */
    static Validation<ProjectChanges> changes(ObjectNode fields, boolean nameRequired) {
        Optional<String> unknown = unknownField(fields, Set.of("name", "poolLimit", "secureTransmission", "expiration",
                "deleteOnExpiration", "volumeDeletion", "rateLimit"));
        if (unknown.isPresent()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Unknown field '" + unknown.get() + "'. Allowed fields: name, "
                    + "poolLimit, secureTransmission, expiration, deleteOnExpiration, volumeDeletion, rateLimit.");
        }
        JsonNode rate = fields.get("rateLimit");
        String rateShape = "rateLimit must be null or {\"requestsPerSecond\": 1 to " + RateLimit.MAX_PER_SECOND
                + " or null, \"requestsPerDay\": 1 to " + RateLimit.MAX_PER_DAY + " or null}.";
        if (rate != null && !rate.isNull() && (!(rate instanceof ObjectNode rateFields)
                || unknownField(rateFields, Set.of("requestsPerSecond", "requestsPerDay")).isPresent()
                || !wholeOrNull(rateFields.get("requestsPerSecond"), RateLimit.MAX_PER_SECOND)
                || !wholeOrNull(rateFields.get("requestsPerDay"), RateLimit.MAX_PER_DAY))) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, rateShape);
        }
        // "rateLimit": null clears both limits; a field left out of the object keeps its limit.
        Change<Integer> perSecond = rate == null ? Change.keep() : rate.isNull() ? new Change.Clear<>()
                : Change.of(rate.get("requestsPerSecond"), JsonNode::intValue);
        Change<Long> perDay = rate == null ? Change.keep() : rate.isNull() ? new Change.Clear<>()
                : Change.of(rate.get("requestsPerDay"), JsonNode::longValue);
        JsonNode name = fields.get("name");
        if ((name == null && nameRequired) || (name != null
                && (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > MAX_NAME_LENGTH))) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "name must be a string of 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        JsonNode limit = fields.get("poolLimit");
        if (limit != null && (!limit.isIntegralNumber() || !limit.canConvertToLong()
                || limit.longValue() < 1 || limit.longValue() > MAX_POOL_LIMIT)) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "poolLimit must be a whole number from 1 to " + MAX_POOL_LIMIT + ".");
        }
        JsonNode deleteOnExpiration = fields.get("deleteOnExpiration");
        if (deleteOnExpiration != null && !deleteOnExpiration.isBoolean()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "deleteOnExpiration must be true or false.");
        }
        JsonNode transmission = fields.get("secureTransmission");
        Validation<TransmissionChanges> transmissionChanges = transmission == null
                ? Validation.valid(null) : transmissionChanges(transmission);
        return transmissionChanges.flatMap(changes -> LifecycleSettings.expiration(fields.get("expiration"))
                .flatMap(expiration -> LifecycleSettings.volumeDeletion(fields.get("volumeDeletion"))
                        .map(volume -> new ProjectChanges(name == null ? null : name.textValue(),
                                limit == null ? null : limit.longValue(), changes, expiration,
                                deleteOnExpiration == null ? null : deleteOnExpiration.booleanValue(), volume,
                                perSecond, perDay))));
    }

    /** Absent, null, or a whole number from 1 to {@code max}. */
    private static boolean wholeOrNull(JsonNode value, long max) {
        return value == null || value.isNull()
                || value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 1 && value.longValue() <= max;
    }

    private static Validation<TransmissionChanges> transmissionChanges(JsonNode json) {
        if (!(json instanceof ObjectNode fields)) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD,
                    "secureTransmission must be an object: {\"enabled\": true, \"mode\": \"gcm\", \"key\": \"apiKey\"}.");
        }
        Optional<String> unknown = unknownField(fields, Set.of("enabled", "mode", "key"));
        if (unknown.isPresent()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD,
                    "Unknown field 'secureTransmission." + unknown.get() + "'. Allowed fields: enabled, mode, key.");
        }
        JsonNode enabled = fields.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "secureTransmission.enabled must be true or false.");
        }
        JsonNode mode = fields.get("mode");
        Optional<TransmissionCipher.Mode> parsedMode = mode == null ? Optional.empty()
                : TransmissionCipher.Mode.fromWire(mode.isTextual() ? mode.textValue() : "");
        if (mode != null && parsedMode.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "secureTransmission.mode must be \"ecb\" or \"gcm\".");
        }
        JsonNode key = fields.get("key");
        Optional<SecureTransmission.KeySource> parsedKey = key == null ? Optional.empty()
                : SecureTransmission.KeySource.fromWire(key.isTextual() ? key.textValue() : "");
        if (key != null && parsedKey.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "secureTransmission.key must be \"apiKey\" or \"secretKey\".");
        }
        return Validation.valid(new TransmissionChanges(enabled == null ? null : enabled.booleanValue(),
                parsedMode.orElse(null), parsedKey.orElse(null)));
    }

    /** The first field of {@code fields} that is not {@code allowed}, if any. */
    static Optional<String> unknownField(ObjectNode fields, Set<String> allowed) {
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!allowed.contains(field)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    private static String newProjectId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "p-" + HexFormat.of().formatHex(bytes);
    }
}
