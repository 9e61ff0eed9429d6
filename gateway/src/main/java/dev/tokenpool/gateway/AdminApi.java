package dev.tokenpool.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.ProjectRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project administration, guarded by {@code x-admin-key}:
 * POST /admin/projects, GET /admin/projects, GET|PATCH /admin/projects/{id},
 * POST /admin/projects/{id}/api-key (issues a new key; the old one stops working).
 */
final class AdminApi {
    static final String PREFIX = "/admin/projects";
    static final long MAX_POOL_LIMIT = 10_000_000;
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectRegistry projects;

    /** A project as the admin API shows it; {@code apiKey} only right after it was issued. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectView(String projectId, String name, long poolLimit, String createdAt, String updatedAt, String apiKey) {
        static ProjectView of(ProjectRecord p, String apiKey) {
            return new ProjectView(p.projectId(), p.name(), p.poolLimit(), p.createdAt(), p.updatedAt(), apiKey);
        }
    }

    AdminApi(Vertx vertx, GatewaySettings settings, ProjectRegistry projects) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
    }

    void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (settings.adminKey() == null || settings.adminKey().isEmpty()) {
            Responses.error(response, ErrorCode.UNAUTHORIZED, "The admin API is off: set TOKENPOOL_ADMIN_KEY to turn it on.");
            return;
        }
        if (!ApiKeys.matches(settings.adminKey(), request.getHeader("x-admin-key"))) {
            Responses.error(response, ErrorCode.UNAUTHORIZED);
            return;
        }
        String[] parts = request.path().substring(PREFIX.length()).split("/", -1);
        // "" → collection; "/{id}" → ["", id]; "/{id}/api-key" → ["", id, "api-key"]
        HttpMethod method = request.method();
        if (parts.length == 1 && parts[0].isEmpty()) {
            if (method == HttpMethod.POST) {
                body(request, this::create);
            } else if (method == HttpMethod.GET) {
                Responses.json(response, 200, projects.all().stream().map(p -> ProjectView.of(p, null)).toList());
            } else {
                Responses.error(response, ErrorCode.INVALID_PATH, "Use POST or GET on " + PREFIX + ".");
            }
            return;
        }
        if (parts.length < 2 || parts.length > 3 || !parts[0].isEmpty()) {
            Responses.error(response, ErrorCode.INVALID_PATH, "No such admin path.");
            return;
        }
        ProjectRecord project = projects.byId(parts[1]).orElse(null);
        if (project == null) {
            Responses.error(response, ErrorCode.PROJECT_NOT_FOUND);
            return;
        }
        if (parts.length == 3 && parts[2].equals("api-key") && method == HttpMethod.POST) {
            String apiKey = ApiKeys.generate();
            save(response, 200, project.withApiKeyHash(ApiKeys.hash(apiKey), now()), apiKey);
        } else if (parts.length == 2 && method == HttpMethod.GET) {
            Responses.json(response, 200, ProjectView.of(project, null));
        } else if (parts.length == 2 && method == HttpMethod.PATCH) {
            body(request, (r, fields) -> update(r, project, fields));
        } else {
            Responses.error(response, ErrorCode.INVALID_PATH, "Unsupported method or path for a project.");
        }
    }

    private void create(HttpServerResponse response, ObjectNode fields) {
        ErrorResponse error = check(fields, true);
        if (error != null) {
            Responses.error(response, error);
            return;
        }
        String apiKey = ApiKeys.generate();
        String now = now();
        long poolLimit = fields.has("poolLimit") ? fields.get("poolLimit").longValue() : PoolLimits.DEFAULT_POOL_LIMIT;
        ProjectRecord project = new ProjectRecord(ProjectRecord.VERSION, newProjectId(), fields.get("name").textValue(),
                ApiKeys.hash(apiKey), poolLimit, now, now);
        save(response, 201, project, apiKey);
    }

    private void update(HttpServerResponse response, ProjectRecord project, ObjectNode fields) {
        ErrorResponse error = check(fields, false);
        if (error != null) {
            Responses.error(response, error);
            return;
        }
        String now = now();
        ProjectRecord updated = project;
        if (fields.has("name")) {
            updated = updated.withName(fields.get("name").textValue(), now);
        }
        if (fields.has("poolLimit")) {
            updated = updated.withPoolLimit(fields.get("poolLimit").longValue(), now);
        }
        save(response, 200, updated, null);
    }

    private void save(HttpServerResponse response, int status, ProjectRecord project, String apiKey) {
        vertx.executeBlocking(() -> {
            projects.save(project);
            return project;
        }).onComplete(saved -> {
            if (saved.succeeded()) {
                log.info("saved project {} ({}), pool limit {}", project.projectId(), project.name(), project.poolLimit());
                Responses.json(response, status, ProjectView.of(project, apiKey));
            } else {
                log.warn("could not save project {}: {}", project.projectId(), saved.cause().toString());
                response.putHeader("Retry-After", "5");
                Responses.error(response, ErrorCode.SERVICE_UNAVAILABLE, "The project registry could not be written. Retry later.");
            }
        });
    }

    private void body(HttpServerRequest request, java.util.function.BiConsumer<HttpServerResponse, ObjectNode> then) {
        RequestBodies.read(request, 16 * 1024).onComplete(body -> {
            if (body.failed()) {
                Responses.error(request.response(), ErrorCode.INVALID_PAYLOAD, "Request body could not be read or is too large.");
                return;
            }
            RequestBodies.Parsed parsed = RequestBodies.parse(body.result());
            if (parsed.error() != null) {
                Responses.error(request.response(), parsed.error());
            } else {
                then.accept(request.response(), parsed.fields());
            }
        });
    }

    /** Checks name (1 to 100 characters) and poolLimit (1 to 10,000,000); unknown fields are refused. */
    static ErrorResponse check(ObjectNode fields, boolean nameRequired) {
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!Set.of("name", "poolLimit").contains(field)) {
                return ErrorCode.INVALID_PAYLOAD.response("Unknown field '" + field + "'. Allowed fields: name, poolLimit.");
            }
        }
        JsonNode name = fields.get("name");
        if ((name == null && nameRequired) || (name != null
                && (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 100))) {
            return ErrorCode.INVALID_PAYLOAD.response("name must be a string of 1 to 100 characters.");
        }
        JsonNode limit = fields.get("poolLimit");
        if (limit != null && (!limit.isIntegralNumber() || !limit.canConvertToLong()
                || limit.longValue() < 1 || limit.longValue() > MAX_POOL_LIMIT)) {
            return ErrorCode.INVALID_PAYLOAD.response("poolLimit must be a whole number from 1 to " + MAX_POOL_LIMIT + ".");
        }
        return null;
    }

    private static String newProjectId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "p-" + HexFormat.of().formatHex(bytes);
    }

    private static String now() {
        return Instant.now().toString();
    }
}
