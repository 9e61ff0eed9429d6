package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes JSON answers. */
final class Responses {
    private Responses() {}

    static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.write(body)));
    }

    static void error(HttpServerResponse response, ErrorResponse error) {
        json(response, error.httpStatus(), error);
    }

    static void error(HttpServerResponse response, ErrorCode code) {
        error(response, code.response());
    }

    static void error(HttpServerResponse response, ErrorCode code, String message) {
        error(response, code.response(message));
    }
}
