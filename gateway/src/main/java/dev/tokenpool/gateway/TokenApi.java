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
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST, DELETE and GET of /v3/submission/tokens. Checks what it cheaply can (API key, body, token ID
 * format) so bad requests never reach Kafka, then sends the command and answers with exactly the
 * status and body of its result.
 */
final class TokenApi {
    static final String PATH = "/v3/submission/tokens";
    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectStore projects;
    private final CommandSender commands;
    private final GatewayMetrics metrics;
    private final Semaphore inFlight;

    TokenApi(Vertx vertx, GatewaySettings settings, ProjectStore projects, CommandSender commands, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
        this.commands = commands;
        this.metrics = metrics;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    void addTo(Routes routes) {
        routes.on(HttpMethod.POST, PATH, request -> handle(request, "add_tokens",
                (projectId, operation) -> withBody(request, projectId, operation, RequestRules::addTokens)))
              .on(HttpMethod.DELETE, PATH, request -> handle(request, "delete",
                (projectId, operation) -> withBody(request, projectId, operation, RequestRules::delete)))
              .on(HttpMethod.GET, PATH, request -> handle(request, "get_token",
                (projectId, operation) -> get(request, projectId, operation)));
    }

    /** What to do with a request once its project is known; {@code operation} names it in the metrics. */
    private interface Operation {
        void run(String projectId, AtomicReference<String> operation);
    }

    private void handle(HttpServerRequest request, String operationName, Operation operation) {
        long started = System.nanoTime();
        AtomicReference<String> name = new AtomicReference<>(operationName);
        HttpServerResponse response = request.response();
        response.endHandler(v -> metrics.request(name.get(), response.getStatusCode(),
                Duration.ofNanos(System.nanoTime() - started)));
        Optional<ProjectRecord> project = projects.byApiKey(request.getHeader("x-api-key"));
        if (project.isEmpty()) {
            Responses.error(response, ErrorCode.INVALID_PROJECT);
            return;
        }
        operation.run(project.get().projectId(), name);
    }

    private void get(HttpServerRequest request, String projectId, AtomicReference<String> operation) {
        MultiMap params;
        try {
            params = request.params();
        } catch (RuntimeException e) {
            Responses.error(request.response(), ErrorCode.INVALID_QUERY_PARAMETERS,
                    "The query string is not valid percent-encoding.");
            return;
        }
        List<String> values = params.getAll("tokenId");
        if (params.names().stream().anyMatch(name -> !name.equals("tokenId")) || values.size() > 1) {
            Responses.error(request.response(), ErrorCode.INVALID_QUERY_PARAMETERS,
                    "Exactly one query parameter is accepted: tokenId.");
            return;
        }
        submit(request.response(), projectId, operation, RequestRules.getToken(values.isEmpty() ? null : values.getFirst()));
    }

    private void withBody(HttpServerRequest request, String projectId, AtomicReference<String> operation,
                          Function<ObjectNode, Validation<PoolCommand>> rules) {
        RequestBodies.jsonObject(vertx, request, settings.maxBodyBytes(), settings.readTimeout())
                .onSuccess(body -> submit(request.response(), projectId, operation, body.flatMap(rules)));
    }

    private void submit(HttpServerResponse response, String projectId, AtomicReference<String> operation,
                        Validation<PoolCommand> validation) {
        switch (validation) {
            case Validation.Invalid<PoolCommand> invalid -> Responses.error(response, invalid.error());
            case Validation.Valid<PoolCommand> valid -> {
                PoolCommand command = valid.value();
                operation.set(command.type());
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
        }
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
