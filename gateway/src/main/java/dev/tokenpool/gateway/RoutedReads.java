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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads sent over HTTP to the processor instance that holds the pool, for a gateway that runs apart from the
 * processors: it asks any processor which instance runs each partition of the commands topic (Kafka Streams
 * metadata, without joining the group), keeps that fresh, and sends a read to the owner with the offset of the
 * last command this gateway wrote to the partition, which the owner waits for (as the standalone's local reads
 * do). When the owner is unknown, moving, slow or down, the read is declined and goes through Kafka: never a wrong
 * answer, never an error the Kafka path would not give.
 */
final class RoutedReads implements LocalReads, AutoCloseable {
    static final String PARTITIONS_PATH = "/internal/v1/partitions";
    static final String READS_PATH = "/internal/v1/reads";
    private static final Logger log = LoggerFactory.getLogger(RoutedReads.class);
    /** How often the owners are asked again, besides whenever a read finds its owner unknown or unreachable. */
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(2);
    /** The owner waits up to 100 ms for its stores to commit; past this the Kafka path is the faster one. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private final List<URI> processors;
    private final InternalKey internalKey;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "routed-reads-owners");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile Map<Integer, URI> owners = Map.of();

    RoutedReads(GatewaySettings.Routing routing) {
        this.processors = routing.processors();
        this.internalKey = routing.internalKey().orElseThrow();
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ResponseBody> read(String projectId, int partition, long sentThrough, PoolCommand query) {
        URI owner = owners.get(partition);
        if (owner == null) {
            refreshSoon();
            return Optional.empty();
        }
        ObjectNode request = Json.MAPPER
                .createObjectNode()
                .put("projectId", projectId)
                .put("partition", partition)
                .put("sentThrough", sentThrough);
        request.set("command", CommandCodec.toJson(CommandEnvelope.of("routed-read", "internal", query)));
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(owner.resolve(READS_PATH))
                            .timeout(READ_TIMEOUT)
                            .header(InternalKey.HEADER, internalKey.value())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                if (response.statusCode() != 204) { // 204: declined, the owner cannot answer it now
                    log.debug("routed read at {} answered {}", owner, response.statusCode());
                    refreshSoon();
                }
                return Optional.empty();
            }
            JsonNode answer = Json.parse(response.body());
            return Optional.of(body(query, answer.path("status").asInt(), answer.path("body")));
        } catch (Exception e) {
            log.debug("routed read at {} failed: {}", owner, e.toString());
            refreshSoon();
            return Optional.empty();
        }
    }

    /** The typed answer, as the same read through Kafka would give it. */
    private static ResponseBody body(PoolCommand query, int status, JsonNode body) throws Exception {
        Class<? extends ResponseBody> type = status != 200
                ? ErrorResponse.class
                : switch (query) {
                    case PoolCommand.GetToken get -> TokenDetails.class;
                    case PoolCommand.ListTokens list -> TokenList.class;
                    default -> TokenCount.class;
                };
        return Json.MAPPER.treeToValue(body, type);
    }

    private void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            refresher.schedule(this::refresh, 200, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks the processors in turn which instance runs each partition; the first that answers is believed. */
    private void refresh() {
        refreshQueued.set(false);
        for (URI processor : processors) {
            try {
                HttpResponse<byte[]> response = http.send(
                        HttpRequest.newBuilder(processor.resolve(PARTITIONS_PATH))
                                .timeout(Duration.ofSeconds(2))
                                .header(InternalKey.HEADER, internalKey.value())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    continue;
                }
                Map<Integer, URI> found = new HashMap<>();
                Json.parse(response.body())
                        .path("partitions")
                        .properties()
                        .forEach(owner -> found.put(
                                Integer.parseInt(owner.getKey()),
                                URI.create("http://" + owner.getValue().asText())));
                owners = Map.copyOf(found);
                return;
            } catch (Exception e) {
                log.debug("no partition owners from {}: {}", processor, e.toString());
            }
        }
        owners = Map.of(); // nobody answered: every read goes through Kafka until one does
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        http.close();
    }
}
