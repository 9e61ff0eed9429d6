package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project administration, guarded by {@code x-admin-key}:
 * POST /admin/projects, GET /admin/projects, GET|PATCH /admin/projects/{id},
 * POST /admin/projects/{id}/api-key (issues a new key; the old one stops working).
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

    /** A project as the admin API shows it; {@code apiKey} only right after it was issued. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectView(String projectId, String name, long poolLimit, String createdAt, String updatedAt, String apiKey) {
        static ProjectView of(ProjectRecord p, String apiKey) {
            return new ProjectView(p.projectId(), p.name(), p.poolLimit(), p.createdAt(), p.updatedAt(), apiKey);
        }
    }

    /** The settings a create or PATCH body sets; null fields stay as they are. */
    record ProjectChanges(String name, Long poolLimit) {
        ProjectRecord applyTo(ProjectRecord project, String now) {
            ProjectRecord updated = project;
            if (name != null) {
                updated = updated.withName(name, now);
            }
            if (poolLimit != null) {
                updated = updated.withPoolLimit(poolLimit, now);
            }
            return updated;
        }
    }

    AdminApi(Vertx vertx, GatewaySettings settings, ProjectStore projects) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
    }

    void addTo(Routes routes) {
        routes.on(HttpMethod.POST, PROJECTS, guarded(request -> withChanges(request, true, this::create)))
              .on(HttpMethod.GET, PROJECTS, guarded(request -> Responses.json(request.response(), 200,
                      projects.all().stream().map(p -> ProjectView.of(p, null)).toList())))
              .on(HttpMethod.GET, PROJECT, guarded((request, id) -> Responses.json(request.response(), 200,
                      ProjectView.of(projects.byId(id).orElseThrow(), null))))
              .on(HttpMethod.PATCH, PROJECT, guarded((request, id) -> withChanges(request, false,
                      (response, changes) -> save(response, 200, null,
                              () -> projects.update(id, p -> changes.applyTo(p, Timestamps.now()))))))
              .on(HttpMethod.POST, PROJECT + "/api-key", guarded((request, id) -> {
                  String apiKey = ApiKeys.generate();
                  save(request.response(), 200, apiKey,
                          () -> projects.update(id, p -> p.withApiKeyHash(ApiKeys.hash(apiKey), Timestamps.now())));
              }));
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
        String now = Timestamps.now();
        ProjectRecord project = new ProjectRecord(ProjectRecord.VERSION, newProjectId(), changes.name(),
                ApiKeys.hash(apiKey), changes.poolLimit() == null ? settings.defaultPoolLimit() : changes.poolLimit(),
                now, now);
        save(response, 201, apiKey, () -> {
            projects.create(project);
            return Optional.of(project);
        });
    }

    /** Writes to the registry off the event loop and answers with the saved project. */
    private void save(HttpServerResponse response, int status, String apiKey, Callable<Optional<ProjectRecord>> write) {
        vertx.executeBlocking(write).onComplete(saved -> {
            if (saved.failed()) {
                log.warn("could not write to the project registry: {}", saved.cause().toString());
                response.putHeader("Retry-After", "5");
                Responses.error(response, ErrorCode.SERVICE_UNAVAILABLE, "The project registry could not be written. Retry later.");
            } else if (saved.result().isEmpty()) {
                Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
            } else {
                ProjectRecord project = saved.result().get();
                log.info("saved project {} ({}), pool limit {}", project.projectId(), project.name(), project.poolLimit());
                Responses.json(response, status, ProjectView.of(project, apiKey));
            }
        });
    }

    private interface ChangesRoute {
        void handle(HttpServerResponse response, ProjectChanges changes);
    }

    private void withChanges(HttpServerRequest request, boolean creating, ChangesRoute then) {
        RequestBodies.jsonObject(vertx, request, MAX_BODY_BYTES, settings.readTimeout()).onSuccess(body -> {
            switch (body.flatMap(fields -> changes(fields, creating))) {
                case Validation.Valid<ProjectChanges> valid -> then.handle(request.response(), valid.value());
                case Validation.Invalid<ProjectChanges> invalid -> Responses.error(request.response(), invalid.error());
            }
        });
    }

    /** Checks name (1 to 100 characters) and poolLimit (1 to 10,000,000); unknown fields are refused. */
    static Validation<ProjectChanges> changes(ObjectNode fields, boolean nameRequired) {
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!Set.of("name", "poolLimit").contains(field)) {
                return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Unknown field '" + field + "'. Allowed fields: name, poolLimit.");
            }
        }
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
        return Validation.valid(new ProjectChanges(name == null ? null : name.textValue(),
                limit == null ? null : limit.longValue()));
    }

    private static String newProjectId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "p-" + HexFormat.of().formatHex(bytes);
    }
}
