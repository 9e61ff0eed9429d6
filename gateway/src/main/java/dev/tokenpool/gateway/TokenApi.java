package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RequestRules;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST, DELETE and GET of /v3/submission/tokens. Checks what it cheaply can (API key, body, token ID
 * format) so bad requests never reach Kafka, then publishes the command and answers with exactly the
 * status and body of its result.
 */
final class TokenApi {
    static final String PATH = "/v3/submission/tokens";
    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectRegistry projects;
    private final CommandBus commands;
    private final GatewayMetrics metrics;
    private final Semaphore inFlight;

    TokenApi(Vertx vertx, GatewaySettings settings, ProjectRegistry projects, CommandBus commands, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
        this.commands = commands;
        this.metrics = metrics;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    void handle(HttpServerRequest request) {
        long started = System.nanoTime();
        String operation = switch (request.method().name()) {
            case "POST" -> "add_tokens";
            case "DELETE" -> "delete_tokens";
            case "GET" -> "get_token";
            default -> null;
        };
        HttpServerResponse response = request.response();
        response.endHandler(v -> metrics.request(operation == null ? "other" : operation, response.getStatusCode(),
                Duration.ofNanos(System.nanoTime() - started)));
        if (operation == null) {
            Responses.error(response, ErrorCode.INVALID_PATH,
                    "Unsupported HTTP method " + request.method() + " on " + PATH + ": use POST, DELETE or GET.");
            return;
        }
        Optional<ProjectRecord> project = projects.byApiKey(request.getHeader("x-api-key"));
        if (project.isEmpty()) {
            Responses.error(response, ErrorCode.INVALID_PROJECT);
            return;
        }
        String projectId = project.get().projectId();
        switch (operation) {
            case "get_token" -> get(request, projectId);
            case "add_tokens" -> withBody(request, projectId, RequestRules::addTokens);
            default -> withBody(request, projectId, RequestRules::delete);
        }
    }

    private void get(HttpServerRequest request, String projectId) {
        List<String> names = List.copyOf(request.params().names());
        List<String> values = request.params().getAll("tokenId");
        if (names.stream().anyMatch(name -> !name.equals("tokenId")) || values.size() > 1) {
            Responses.error(request.response(), ErrorCode.INVALID_QUERY_PARAMETERS,
                    "Exactly one query parameter is accepted: tokenId.");
            return;
        }
        submit(request.response(), projectId, RequestRules.getToken(values.isEmpty() ? null : values.getFirst()));
    }

    private void withBody(HttpServerRequest request, String projectId, Function<ObjectNode, Validation<PoolCommand>> rules) {
        HttpServerResponse response = request.response();
        if (!RequestBodies.acceptedContentType(request.getHeader("Content-Type"))) {
            Responses.error(response, ErrorCode.INVALID_PAYLOAD, "Content-Type must be text/plain or application/json.");
            return;
        }
        RequestBodies.read(request, settings.maxBodyBytes()).onComplete(body -> {
            if (body.failed()) {
                if (body.cause() instanceof RequestBodies.TooLarge tooLarge) {
                    if (request.version() != HttpVersion.HTTP_2) {
                        response.putHeader("Connection", "close"); // the rest of the body is not read
                    }
                    Responses.error(response, ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
                } else {
                    Responses.error(response, ErrorCode.INVALID_PAYLOAD, "Request body could not be read.");
                }
                return;
            }
            RequestBodies.Parsed parsed = RequestBodies.parse(body.result());
            if (parsed.error() != null) {
                Responses.error(response, parsed.error());
                return;
            }
            submit(response, projectId, rules.apply(parsed.fields()));
        });
    }

    private void submit(HttpServerResponse response, String projectId, Validation<PoolCommand> validation) {
        if (validation instanceof Validation.Invalid<PoolCommand> invalid) {
            Responses.error(response, invalid.error());
            return;
        }
        PoolCommand command = ((Validation.Valid<PoolCommand>) validation).value();
        if (!inFlight.tryAcquire()) {
            response.putHeader("Retry-After", "1");
            Responses.error(response, ErrorCode.SERVICE_UNAVAILABLE,
                    "Too many requests in flight (" + settings.maxInFlight() + "). Retry shortly.");
            return;
        }
        Context context = vertx.getOrCreateContext();
        commands.submit(projectId, command).whenComplete((result, error) -> {
            inFlight.release();
            context.runOnContext(v -> answer(response, command, result, error));
        });
    }

    private void answer(HttpServerResponse response, PoolCommand command, PoolResult result, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        switch (cause) {
            case null -> {
                if (!response.ended() && !response.closed()) {
                    response.setStatusCode(result.status())
                            .putHeader("Content-Type", "application/json")
                            .end(Buffer.buffer(Json.write(result.body())));
                }
            }
            case TimeoutException timeout -> {
                log.warn("{} timed out after {}", command.type(), settings.requestTimeout());
                Responses.error(response, ErrorCode.REQUEST_TIMEOUT);
            }
            case KafkaUnavailableException unavailable -> {
                log.warn("{} not published: {}", command.type(), unavailable.getMessage());
                response.putHeader("Retry-After", "5");
                Responses.error(response, ErrorCode.SERVICE_UNAVAILABLE,
                        "The command could not be handed to Kafka; nothing was applied. Retry later.");
            }
            default -> {
                log.error("{} failed", command.type(), cause);
                Responses.error(response, ErrorCode.INTERNAL_SERVER_ERROR);
            }
        }
    }
}
