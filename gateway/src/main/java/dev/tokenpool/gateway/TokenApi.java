package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.RequestRules;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST, DELETE and GET of /v3/submission/tokens, and POST /v3/submission/tokens/use. Checks what it
 * cheaply can (API key, body, token ID format) so bad requests never reach Kafka, then sends the
 * command and answers with exactly the status and body of its result, encrypted when the project
 * uses Secure Data Transmission.
 */
final class TokenApi {
    static final String PATH = "/v3/submission/tokens";
    static final String USE_PATH = PATH + "/use";
    /** A request that changes a pool may carry one: it is applied once per key and project. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** On the answer to a retry that was not applied: the stored result of the first request with its key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final ProjectStore projects;
    private final CommandSender commands;
    private final GatewayMetrics metrics;
    private final Semaphore inFlight;
    private final SecureChannel secureChannel;
    private final BodyBudget bodies;
    private final RequestRates rates = new RequestRates();

    TokenApi(
            Vertx vertx,
            GatewaySettings settings,
            ProjectStore projects,
            CommandSender commands,
            GatewayMetrics metrics,
            BodyBudget bodies) {
        this.vertx = vertx;
        this.settings = settings;
        this.projects = projects;
        this.commands = commands;
        this.metrics = metrics;
        this.bodies = bodies;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.secureChannel = new SecureChannel(settings.masterKeys());
    }

    void addTo(Routes routes) {
        routes.on(
                        HttpMethod.POST,
                        PATH,
                        request ->
                                handle(request, "add_tokens", call -> withBody(request, call, RequestRules::addTokens)))
                .on(
                        HttpMethod.DELETE,
                        PATH,
                        request -> handle(request, "delete", call -> withBody(request, call, RequestRules::delete)))
                .on(HttpMethod.GET, PATH, request -> handle(request, "get_token", call -> get(request, call)))
                .on(
                        HttpMethod.POST,
                        USE_PATH,
                        request ->
                                handle(request, "use_token", call -> withBody(request, call, RequestRules::useToken)));
    }

    /**
     * A request whose project is known: how to answer it (plain or encrypted), and the name of its
     * operation in the metrics, set once the command is known.
     */
    private record Call(
            String projectId, String actor, Reply reply, AtomicReference<String> operation, String idempotencyKey) {
        TransmissionCipher cipher() {
            return reply.cipher();
        }

        Call withIdempotencyKey(String key) {
            return new Call(projectId, actor, reply, operation, key);
        }
    }

    private void handle(HttpServerRequest request, String operationName, Consumer<Call> operation) {
        long started = System.nanoTime();
        AtomicReference<String> name = new AtomicReference<>(operationName);
        HttpServerResponse response = request.response();
        response.endHandler(v ->
                metrics.request(name.get(), response.getStatusCode(), Duration.ofNanos(System.nanoTime() - started)));
        String apiKey = request.getHeader("x-api-key");
        Optional<ProjectRecord> project = projects.byApiKey(apiKey);
        if (project.isEmpty()) {
            Responses.error(response, ErrorCode.INVALID_PROJECT);
            return;
        }
        Optional<TransmissionCipher> cipher;
        try {
            cipher = secureChannel.cipherFor(project.get(), apiKey);
        } catch (MasterKeys.CannotOpen e) {
            log.error("cannot serve {} encrypted: {}", project.get().projectId(), e.getMessage());
            Responses.error(response, ErrorCode.INTERNAL_SERVER_ERROR, SecureChannel.PROCESSING_ERROR);
            return;
        }
        String keyHash = project.get().apiKeyHash();
        String actor = ApiKeys.isLegacy(keyHash) ? ApiKeys.fingerprint(apiKey) : ApiKeys.fingerprintOfHash(keyHash);
        Reply reply = new Reply(response, cipher.orElse(null));
        RateLimit limit = project.get().rateLimit();
        if (limit != null
                && limit.requestsPerSecond() != null
                && !rates.tryAcquire(project.get().projectId(), limit.requestsPerSecond())) {
            metrics.refused(GatewayMetrics.Refused.RATE);
            response.putHeader("Retry-After", "1");
            reply.error(ErrorCode.RATE_LIMIT_EXCEEDED.response("This project's limit of " + limit.requestsPerSecond()
                    + " requests a second is reached. Retry in a second."));
            return;
        }
        operation.accept(new Call(project.get().projectId(), actor, reply, name, null));
    }

    private void get(HttpServerRequest request, Call call) {
        MultiMap params;
        try {
            params = request.params();
        } catch (RuntimeException e) {
            call.reply().error(ErrorCode.INVALID_QUERY_PARAMETERS, "The query string is not valid percent-encoding.");
            return;
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        params.names().forEach(name -> query.put(name, params.getAll(name)));
        submit(call, RequestRules.query(query));
    }

    /**
     * Reads the body (the size cap applies to what is sent, ciphertext included), decrypts it when the
     * project's traffic is encrypted, and checks it against {@code rules}.
     */
    private void withBody(
            HttpServerRequest request, Call keyless, Function<ObjectNode, Validation<PoolCommand>> rules) {
        List<String> keys = request.headers().getAll(IDEMPOTENCY_KEY);
        if (keys.size() > 1 || (keys.size() == 1 && !CommandEnvelope.isIdempotencyKey(keys.getFirst()))) {
            keyless.reply()
                    .error(
                            ErrorCode.INVALID_PAYLOAD,
                            "The Idempotency-Key header must be one value of 1 to 255 printable ASCII characters.");
            return;
        }
        Call call = keyless.withIdempotencyKey(keys.isEmpty() ? null : keys.getFirst());
        if (call.cipher() == null) {
            RequestBodies.jsonObject(
                            vertx,
                            request,
                            settings.http().maxBodyBytes(),
                            settings.http().readTimeout(),
                            bodies)
                    .onSuccess(body -> submit(call, body.flatMap(rules)));
            return;
        }
        RequestBodies.text(
                        vertx,
                        request,
                        settings.http().maxBodyBytes(),
                        settings.http().readTimeout(),
                        bodies)
                .onSuccess(body -> {
                    switch (body) {
                        case Validation.Invalid<Buffer> invalid -> call.reply().error(invalid.error());
                        case Validation.Valid<Buffer> ciphertext -> {
                            try {
                                submit(
                                        call,
                                        SecureChannel.open(call.cipher(), ciphertext.value())
                                                .flatMap(rules));
                            } catch (TransmissionCipher.DecryptionFailed e) {
                                call.reply().decryptionFailed();
                            }
                        }
                    }
                });
    }

    private void submit(Call call, Validation<PoolCommand> validation) {
        Reply reply = call.reply();
        switch (validation) {
            case Validation.Invalid<PoolCommand> invalid -> reply.error(invalid.error());
            case Validation.Valid<PoolCommand> valid -> {
                PoolCommand command = valid.value();
                call.operation().set(command.type());
                if (!inFlight.tryAcquire()) {
                    reply.response().putHeader("Retry-After", "1");
                    reply.error(
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "Too many requests in flight (" + settings.maxInFlight() + "). Retry shortly.");
                    return;
                }
                Context context = vertx.getOrCreateContext();
                commands.submit(call.projectId(), command, call.actor(), call.idempotencyKey())
                        .whenComplete((result, error) -> {
                            inFlight.release();
                            context.runOnContext(v -> answer(reply, command, result, error));
                        });
            }
        }
    }

    private void answer(Reply reply, PoolCommand command, PoolResult result, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        switch (cause) {
            case null -> {
                if (result.status() < 200 || result.status() > 599 || result.body() == null) {
                    log.error("{}: the result names no HTTP status and body: {}", command.type(), result);
                    reply.error(ErrorCode.INTERNAL_SERVER_ERROR);
                    return;
                }
                metrics.answered(result);
                if (result.retryAfterSeconds() != null) {
                    reply.response().putHeader("Retry-After", Long.toString(result.retryAfterSeconds()));
                } else if (result.status() == ErrorCode.RATE_LIMIT_EXCEEDED.httpStatus()) { // a processor of before
                    reply.response()
                            .putHeader(
                                    "Retry-After",
                                    Long.toString(RateLimit.secondsToNextDay(System.currentTimeMillis())));
                }
                if (result.isReplay()) {
                    reply.response().putHeader(REPLAYED, "true");
                }
                reply.json(result.status(), result.body());
            }
            case TimeoutException timeout -> {
                log.warn("{} timed out after {}", command.type(), settings.requestTimeout());
                reply.error(ErrorCode.REQUEST_TIMEOUT);
            }
            case KafkaUnavailableException unavailable -> {
                log.warn("{} not published: {}", command.type(), unavailable.getMessage());
                reply.response().putHeader("Retry-After", "5");
                reply.error(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The command could not be handed to Kafka; nothing was applied. Retry later.");
            }
            default -> {
                log.error("{} failed", command.type(), cause);
                reply.error(ErrorCode.INTERNAL_SERVER_ERROR);
            }
        }
    }
}
