package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Locale;

/** Reads a request body up to a size cap and turns it into a JSON object, or into the API's error. */
final class RequestBodies {

    /** The body was larger than the cap. */
    static final class TooLarge extends RuntimeException {
        TooLarge(int cap) {
            super("Request body is larger than " + cap + " bytes.", null, false, false);
        }
    }

    private RequestBodies() {
    }

    static Future<Buffer> read(HttpServerRequest request, int cap) {
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > cap) {
                    return Future.failedFuture(new TooLarge(cap));
                }
            } catch (NumberFormatException ignored) {
                // the HTTP codec rejects malformed lengths itself
            }
        }
        Promise<Buffer> body = Promise.promise();
        Buffer buffer = Buffer.buffer();
        request.handler(chunk -> {
            if (body.future().isComplete()) {
                return;
            }
            buffer.appendBuffer(chunk);
            if (buffer.length() > cap) {
                body.tryFail(new TooLarge(cap));
            }
        });
        request.endHandler(v -> body.tryComplete(buffer));
        request.exceptionHandler(body::tryFail);
        return body.future();
    }

    /** Content-Type may be absent, text/plain or application/json (as the public API allows). */
    static boolean acceptedContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mime.equals("text/plain") || mime.equals("application/json");
    }

    /** The body as a JSON object, or the invalid_payload error that says what is wrong with it. */
    static Parsed parse(Buffer body) {
        if (body.length() == 0) {
            return new Parsed(null, ErrorCode.INVALID_PAYLOAD.response("Request body is missing."));
        }
        JsonNode json;
        try {
            json = Json.parse(body.getBytes());
        } catch (IOException e) {
            return new Parsed(null, ErrorCode.INVALID_PAYLOAD.response("Request body is not valid JSON: " + Json.describe(e)));
        }
        if (!(json instanceof ObjectNode object)) {
            return new Parsed(null, ErrorCode.INVALID_PAYLOAD.response("Request body must be a JSON object."));
        }
        return new Parsed(object, null);
    }

    record Parsed(ObjectNode fields, ErrorResponse error) {
    }
}
