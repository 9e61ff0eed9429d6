package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads a request body (within a size cap and a time limit) and turns it into a JSON object, or into
 * the error the API answers with. The same rules serve the token API and the admin API.
 */
final class RequestBodies {

    /** A body that cannot be read: the error to answer with. */
    static final class Unreadable extends RuntimeException {
        final ErrorResponse error;

        Unreadable(ErrorResponse error) {
            super(error.errorMessage(), null, false, false);
            this.error = error;
        }
    }

    private RequestBodies() {}

    /**
     * The whole body, or a failed future with {@link Unreadable}: payload_too_large past {@code cap}
     * bytes, invalid_payload when it does not arrive within {@code timeout}, service_unavailable when the
     * {@code budget} has no room for it now (before any of it is read).
     */
    static Future<Buffer> read(Vertx vertx, HttpServerRequest request, int cap, Duration timeout, BodyBudget budget) {
        long size = cap; // a body that does not say its length may be as large as the cap
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                size = Long.parseLong(length.trim());
                if (size > cap) {
                    return Future.failedFuture(tooLarge(cap));
                }
            } catch (NumberFormatException ignored) {
                // the HTTP codec refuses malformed lengths itself
            }
        }
        String address =
                request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
        BodyBudget.Reservation reserved = budget.reserve(address, size).orElse(null);
        if (reserved == null) {
            request.response().putHeader("Retry-After", "1");
            closeAfterAnswer(request); // the body is not read
            return Future.failedFuture(new Unreadable(ErrorCode.SERVICE_UNAVAILABLE.response(
                    "The gateway is reading as many request bodies as it can hold. Retry shortly.")));
        }
        Promise<Buffer> body = Promise.promise();
        Buffer buffer = Buffer.buffer();
        long timer = vertx.setTimer(
                timeout.toMillis(),
                id -> body.tryFail(new Unreadable(ErrorCode.INVALID_PAYLOAD.response(
                        "Request body did not arrive within " + timeout.toMillis() + " ms."))));
        request.handler(chunk -> {
            if (body.future().isComplete()) {
                return;
            }
            buffer.appendBuffer(chunk);
            if (buffer.length() > cap) {
                body.tryFail(tooLarge(cap));
            }
        });
        request.endHandler(v -> body.tryComplete(buffer));
        request.exceptionHandler(e ->
                body.tryFail(new Unreadable(ErrorCode.INVALID_PAYLOAD.response("Request body could not be read."))));
        return body.future().onComplete(done -> {
            reserved.release();
            vertx.cancelTimer(timer);
            if (done.failed()) {
                closeAfterAnswer(request); // the rest of the body is not read
            }
        });
    }

    /** HTTP/1.x: the connection closes once the answer is sent, since the body it carries is not read. */
    private static void closeAfterAnswer(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().putHeader("Connection", "close");
        }
    }

    private static Unreadable tooLarge(int cap) {
        return new Unreadable(ErrorCode.PAYLOAD_TOO_LARGE.response("Request body is larger than " + cap + " bytes."));
    }

    /** Content-Type may be absent, text/plain or application/json (as the public API allows). */
    static boolean acceptedContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mime.equals("text/plain") || mime.equals("application/json");
    }

    static final String CONTENT_TYPE_MESSAGE = "Content-Type must be text/plain or application/json.";

    /** The body as a JSON object, or the invalid_payload error that says what is wrong with it. */
    static Validation<ObjectNode> parse(Buffer body) {
        if (body.length() == 0) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Request body is missing.");
        }
        JsonNode json;
        try {
            json = Json.parse(body.getBytes());
        } catch (IOException e) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Request body is not valid JSON: " + Json.describe(e));
        }
        if (!(json instanceof ObjectNode object)) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Request body must be a JSON object.");
        }
        return Validation.valid(object);
    }

    /** Checks the Content-Type and reads the body: the bytes, or the error to answer with. */
    static Future<Validation<Buffer>> text(
            Vertx vertx, HttpServerRequest request, int cap, Duration timeout, BodyBudget budget) {
        if (!acceptedContentType(request.getHeader("Content-Type"))) {
            return Future.succeededFuture(Validation.invalid(ErrorCode.INVALID_PAYLOAD, CONTENT_TYPE_MESSAGE));
        }
        return read(vertx, request, cap, timeout, budget)
                .transform(read -> Future.succeededFuture(
                        read.succeeded()
                                ? Validation.valid(read.result())
                                : Validation.invalid(
                                        read.cause() instanceof Unreadable unreadable
                                                ? unreadable.error
                                                : ErrorCode.INVALID_PAYLOAD.response(
                                                        "Request body could not be read."))));
    }

    /** Checks the Content-Type, reads the body and parses it: the JSON object, or the error to answer with. */
    static Future<Validation<ObjectNode>> jsonObject(
            Vertx vertx, HttpServerRequest request, int cap, Duration timeout, BodyBudget budget) {
        return text(vertx, request, cap, timeout, budget).map(body -> body.flatMap(RequestBodies::parse));
    }
}
