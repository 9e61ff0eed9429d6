package dev.tokenpool.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenpool.runtime.InternalKey;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.DecodedCommand;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The routed reads a processor answers for gateways that run apart from it, on its HTTP port, meant for the
 * deployment's own network and answered only to a caller that shows the internal key:
 * <ul>
 *   <li>{@code GET /internal/v1/partitions}: which instance runs each commands partition ({@code host:port});</li>
 *   <li>{@code POST /internal/v1/reads} {@code {"projectId", "partition", "sentThrough", "command"}}: the read
 *       answered from this instance's stores once they have committed {@code sentThrough}, as {@code {"status",
 *       "body"}}; 204 when it cannot answer it now (not its partition, a rebalance, stores behind), and the gateway
 *       asks through Kafka.</li>
 * </ul>
 */
final class InternalReads {
    /** A read request is a project ID, two numbers and a read command: far less than this. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final ProcessorService processor;
    private final InternalKey internalKey;

    InternalReads(ProcessorService processor, InternalKey internalKey) {
        this.processor = processor;
        this.internalKey = internalKey;
    }

    void addTo(HttpServer server) {
        server.createContext("/internal/v1/partitions", exchange -> guarded(exchange, this::partitions));
        server.createContext("/internal/v1/reads", exchange -> guarded(exchange, this::read));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void guarded(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            if (!internalKey.shownIn(exchange.getRequestHeaders().getFirst(InternalKey.HEADER))) {
                send(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            handler.handle(exchange);
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"internal\"}");
        }
    }

    private void partitions(HttpExchange exchange) throws IOException {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode owners = answer.putObject("partitions");
        processor.partitionOwners().forEach((partition, owner) -> owners.put(Integer.toString(partition), owner));
        send(exchange, 200, new String(Json.write(answer), StandardCharsets.UTF_8));
    }

    private void read(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            send(exchange, 405, "{\"error\":\"POST only\"}");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        JsonNode request;
        try {
            request = Json.parse(body);
        } catch (IOException e) {
            send(exchange, 400, "{\"error\":\"not JSON\"}");
            return;
        }
        if (body.length > MAX_REQUEST_BYTES
                || !(CommandCodec.decode(Json.write(request.path("command")))
                        instanceof DecodedCommand.Accepted accepted)
                || !accepted.envelope().command().readsOnly()
                || !request.path("projectId").isTextual()
                || !request.path("partition").canConvertToInt()
                || !request.path("sentThrough").canConvertToLong()) {
            send(exchange, 400, "{\"error\":\"not a read\"}");
            return;
        }
        PoolCommand query = accepted.envelope().command();
        Optional<ResponseBody> answer = processor
                .localReads()
                .read(
                        request.path("projectId").textValue(),
                        request.path("partition").intValue(),
                        request.path("sentThrough").longValue(),
                        query);
        if (answer.isEmpty()) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        ObjectNode result =
                Json.MAPPER.createObjectNode().put("status", answer.get().httpStatus());
        result.set("body", Json.tree(answer.get()));
        send(exchange, 200, new String(Json.write(result), StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
