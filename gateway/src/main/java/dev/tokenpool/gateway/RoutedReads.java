package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.runtime.InternalKey;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import dev.tokenpool.schemas.TokenCount;
import dev.tokenpool.schemas.TokenDetails;
import dev.tokenpool.schemas.TokenList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads sent over HTTP to the processor instance that holds the pool, for a gateway that runs apart from the
 * processors: it asks any processor which instance runs each partition of the commands topic (Kafka Streams
 * metadata, without joining the group), keeps that fresh, and sends a read to the owner with the offset of the
 * last command this gateway wrote to the partition, which the owner waits for (as the standalone's local reads
 * do). When the owner is unknown, moving, slow or down, the read is declined and goes through Kafka: never a wrong
 * answer, never an error the Kafka path would not give. Everything runs on the event loop that asked (Vert.x's
 * client, kept-alive connections): a routed read costs no thread hand-over in the gateway.
 */
final class RoutedReads implements FastReads, AutoCloseable {
    static final String PARTITIONS_PATH = "/internal/v1/partitions";
    static final String READS_PATH = "/internal/v1/reads";
    private static final Logger log = LoggerFactory.getLogger(RoutedReads.class);
    /** How often the owners are asked again, besides whenever a read finds its owner unknown or unreachable. */
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(2);
    /** The owner waits up to 100 ms for its stores to commit; past this the Kafka path is the faster one. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private final Vertx vertx;
    private final List<URI> processors;
    private final InternalKey internalKey;
    private final HttpClient http;
    private final long refreshTimer;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile Map<Integer, URI> owners = Map.of();

    RoutedReads(Vertx vertx, GatewaySettings.Routing routing) {
        this.vertx = vertx;
        this.processors = routing.processors();
        this.internalKey = routing.internalKey().orElseThrow();
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) READ_TIMEOUT.toMillis())
                        .setKeepAlive(true)
                        .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(64));
        refresh();
        this.refreshTimer = vertx.setPeriodic(REFRESH_EVERY.toMillis(), id -> refresh());
    }

    @Override
    public CompletableFuture<Optional<ResponseBody>> read(
            String projectId, int partition, long sentThrough, PoolCommand query) {
        URI owner = owners.get(partition);
        if (owner == null) {
            refreshSoon();
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ObjectNode request = Json.MAPPER
                .createObjectNode()
                .put("projectId", projectId)
                .put("partition", partition)
                .put("sentThrough", sentThrough);
        request.set("command", CommandCodec.toJson(CommandEnvelope.of("routed-read", "internal", query)));
        return http.request(internal(owner, READS_PATH)
                        .setMethod(HttpMethod.POST)
                        .putHeader("Content-Type", "application/json"))
                .compose(sent -> sent.send(Buffer.buffer(Json.write(request))))
                .compose(response -> answer(owner, query, response))
                .recover(e -> {
                    log.debug("routed read at {} failed: {}", owner, e.toString());
                    refreshSoon();
                    return Future.succeededFuture(Optional.empty());
                })
                .toCompletionStage()
                .toCompletableFuture();
    }

    /** The owner's answer as the same read through Kafka would give it; empty when the owner declined it. */
    private Future<Optional<ResponseBody>> answer(URI owner, PoolCommand query, HttpClientResponse response) {
        int status = response.statusCode();
        if (status != 200) {
            if (status != 204) { // 204: declined, the owner cannot answer it now
                log.debug("routed read at {} answered {}", owner, status);
                refreshSoon();
            }
            return response.end().map(Optional.empty());
        }
        return response.body().map(body -> {
            JsonNode answer = parse(body);
            return Optional.of(typed(query, answer.path("status").asInt(), answer.path("body")));
        });
    }

    /** The typed answer, as the same read through Kafka would give it: one that is not fails the read. */
    private static ResponseBody typed(PoolCommand query, int status, JsonNode body) {
        Class<? extends ResponseBody> type = status != 200
                ? ErrorResponse.class
                : switch (query) {
                    case PoolCommand.GetToken get -> TokenDetails.class;
                    case PoolCommand.ListTokens list -> TokenList.class;
                    default -> TokenCount.class;
                };
        try {
            return Json.MAPPER.treeToValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(Buffer body) {
        try {
            return Json.parse(body.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RequestOptions internal(URI processor, String path) {
        return new RequestOptions()
                .setAbsoluteURI(processor.resolve(path).toString())
                .putHeader(InternalKey.HEADER, internalKey.value())
                .setConnectTimeout(READ_TIMEOUT.toMillis())
                .setIdleTimeout(READ_TIMEOUT.toMillis());
    }

    private void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            vertx.setTimer(200, id -> refresh());
        }
    }

    /** Asks the processors in turn which instance runs each partition; the first that answers is believed. */
    private void refresh() {
        refreshQueued.set(false);
        Future<Map<Integer, URI>> found = Future.failedFuture("no processor asked yet");
        for (URI processor : processors) {
            found = found.recover(previous -> partitionsAt(processor));
        }
        found.onSuccess(map -> owners = map).onFailure(e -> {
            log.debug("no partition owners from {}: {}", processors, e.toString());
            owners = Map.of(); // nobody answered: every read goes through Kafka until one does
        });
    }

    private Future<Map<Integer, URI>> partitionsAt(URI processor) {
        return http.request(internal(processor, PARTITIONS_PATH).setMethod(HttpMethod.GET))
                .compose(sent -> sent.send())
                .compose(response -> response.statusCode() == 200
                        ? response.body()
                        : Future.failedFuture(processor + " answered " + response.statusCode()))
                .map(body -> {
                    Map<Integer, URI> found = new HashMap<>();
                    parse(body)
                            .path("partitions")
                            .properties()
                            .forEach(owner -> found.put(
                                    Integer.parseInt(owner.getKey()),
                                    URI.create("http://" + owner.getValue().asText())));
                    return Map.copyOf(found);
                });
    }

    @Override
    public void close() {
        vertx.cancelTimer(refreshTimer);
        http.close();
    }
}
