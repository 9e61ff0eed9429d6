package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ReplyAddress;
import dev.tokenpool.schemas.ResponseBody;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every command through Kafka, except reads that {@link FastReads} can answer from the stores in
 * this JVM or at the processor that holds the pool: those skip the exactly-once round trip (a commit
 * interval and three topic hops). A read is answered that way only once the stores have committed every
 * command this gateway wrote to the pool's partition, answered or still in flight, so it sees what the
 * same read sent through Kafka would: a client reads its own writes, and a read after a timed-out write
 * is not older than the write. The first read of a partition after the gateway starts goes through
 * Kafka: it is ordered after every command already there (those a previous run of the gateway left in
 * flight included), and its own offset then bounds the fast reads that follow. Reads of a project with
 * a daily quota go through Kafka too: the quota counts every command where the project's commands meet.
 */
final class LocalFirstReads implements CommandSender {
    private static final Logger log = LoggerFactory.getLogger(LocalFirstReads.class);
    /** A fast answer goes straight back to the HTTP request that asked, not to a reply topic. */
    private static final ReplyAddress IN_THIS_PROCESS = new ReplyAddress(null, null);

    private final CommandBus bus;
    private final FastReads fast;
    private final ProjectStore projects;
    private final Counter answeredFast;
    private final Counter sentThroughKafka;

    /** {@code path} names the reads {@code fast} answers in the metrics: "local" (this JVM) or "routed". */
    LocalFirstReads(CommandBus bus, FastReads fast, String path, ProjectStore projects, MeterRegistry metrics) {
        this.bus = bus;
        this.fast = fast;
        this.projects = projects;
        this.answeredFast = reads(metrics, path);
        this.sentThroughKafka = reads(metrics, "kafka");
    }

    /**
     * The reads of the stores in this JVM, off the event loop: a list page reads up to 10,000 entries, and the
     * read may wait for a commit.
     */
    static FastReads inThisJvm(LocalReads local) {
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        return (projectId, partition, sentThrough, query) ->
                CompletableFuture.supplyAsync(() -> local.read(projectId, partition, sentThrough, query), readers);
    }

    private static Counter reads(MeterRegistry metrics, String path) {
        return Counter.builder("tokenpool.gateway.reads")
                .tag("path", path)
                .description("Reads (lookup, list, count) answered from the stores in this JVM, by the processor that "
                        + "holds the pool, or through Kafka")
                .register(metrics);
    }

    @Override
    public CompletableFuture<PoolResult> submit(
            String projectId, PoolCommand command, String actor, String idempotencyKey) {
        if (!command.readsOnly()
                || projects.byId(projectId).map(p -> p.dailyQuota().isPresent()).orElse(true)) {
            return bus.submit(projectId, command, actor, idempotencyKey);
        }
        return fastAnswer(projectId, command)
                .thenCompose(answer -> answer.map(body -> {
                            answeredFast.increment();
                            return CompletableFuture.completedFuture(PoolResult.of(IN_THIS_PROCESS, body));
                        })
                        .orElseGet(() -> {
                            sentThroughKafka.increment();
                            return bus.submit(projectId, command, actor, idempotencyKey);
                        }));
    }

    private CompletableFuture<Optional<ResponseBody>> fastAnswer(String projectId, PoolCommand query) {
        int partition;
        try {
            partition = bus.partitionOf(projectId);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty()); // no metadata: the Kafka path answers
        }
        long sentThrough = bus.sentThrough(partition);
        if (sentThrough < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            return fast.read(projectId, partition, sentThrough, query)
                    .exceptionally(e -> throughKafka(projectId, query, e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(throughKafka(projectId, query, e));
        }
    }

    /** A read that failed where it was sent is asked again through Kafka, which answers it or says why not. */
    private static Optional<ResponseBody> throughKafka(String projectId, PoolCommand query, Throwable failure) {
        log.warn("{} of project {} failed, asking through Kafka", query.type(), projectId, failure);
        return Optional.empty();
    }
}
