package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's route table: method + path template ({@code /admin/projects/{id}}) → handler. A path
 * no route knows, or a method its routes do not take, is answered with invalid_path; a handler that
 * throws is answered with internal_server_error, so no request is ever left without an answer.
 */
final class Routes implements Handler<HttpServerRequest> {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    /** Handles one request with the values of the template's {@code {name}} segments. */
    @FunctionalInterface
    interface Route {
        void handle(HttpServerRequest request, Map<String, String> pathParams);
    }

    private record Entry(HttpMethod method, String[] segments, Route route) {
        /** The path parameters when the path fits the template, else null. */
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < path.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    params.put(segment.substring(1, segment.length() - 1), path[i]);
                } else if (!segment.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    Routes on(HttpMethod method, String template, Route route) {
        entries.add(new Entry(method, template.split("/", -1), route));
        return this;
    }

    /** "METHOD template" of every route, in the order they were added (for the OpenAPI document's test). */
    List<String> describe() {
        return entries.stream()
                .map(entry -> entry.method().name() + " " + String.join("/", entry.segments()))
                .toList();
    }

    Routes on(HttpMethod method, String template, Handler<HttpServerRequest> handler) {
        return on(method, template, (request, params) -> handler.handle(request));
    }

    @Override
    public void handle(HttpServerRequest request) {
        String[] path = request.path().split("/", -1);
        List<HttpMethod> allowed = new ArrayList<>();
        for (Entry entry : entries) {
            Map<String, String> params = entry.match(path);
            if (params == null) {
                continue;
            }
            if (entry.method().equals(request.method())) {
                dispatch(entry.route(), request, params);
                return;
            }
            allowed.add(entry.method());
        }
        if (allowed.isEmpty()) {
            Responses.error(request.response(), ErrorCode.INVALID_PATH, "No such path: " + request.path());
        } else {
            Responses.error(
                    request.response(),
                    ErrorCode.INVALID_PATH,
                    "Unsupported HTTP method " + request.method() + " on " + request.path() + ": use "
                            + String.join(
                                    ", ", allowed.stream().map(HttpMethod::name).toList()) + ".");
        }
    }

    private static void dispatch(Route route, HttpServerRequest request, Map<String, String> params) {
        try {
            route.handle(request, params);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), request.path(), e);
            Responses.error(request.response(), ErrorCode.INTERNAL_SERVER_ERROR);
        }
    }
}
