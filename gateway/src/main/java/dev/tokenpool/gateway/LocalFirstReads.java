package dev.tokenpool.gateway;

import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
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
 * Sends every command through Kafka, except reads that {@link LocalReads} can answer from the stores in
 * this JVM: those skip the exactly-once round trip (a commit interval and three topic hops). A read is
 * answered locally only once the stores have committed every command this gateway wrote to the pool's
 * partition, answered or still in flight, so it sees what the same read sent through Kafka would: a
 * client reads its own writes, and a read after a timed-out write is not older than the write. The
 * first read of a partition after the gateway starts goes through Kafka: it is ordered after every
 * command already there (those a previous run of the gateway left in flight included), and its own
 * offset then bounds the local reads that follow. Reads of a project with a daily quota go through Kafka too:
 * the quota counts every command where the project's commands meet.
 */
final class LocalFirstReads implements CommandSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalFirstReads.class);
    private final CommandBus bus;
    private final LocalReads local;
    private final ProjectStore projects;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final Counter answeredLocally;
    private final Counter sentThroughKafka;

    /** {@code path} names the reads {@code local} answers in the metrics: "local" (this JVM) or "routed". */
    LocalFirstReads(CommandBus bus, LocalReads local, String path, ProjectStore projects, MeterRegistry metrics) {
        this.bus = bus;
        this.local = local;
        this.projects = projects;
        this.answeredLocally = reads(metrics, path);
        this.sentThroughKafka = reads(metrics, "kafka");
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
        // Off the event loop: a list page reads up to 10,000 entries, and the read may wait for a commit.
        return CompletableFuture.supplyAsync(() -> localAnswer(projectId, command), readers)
                .thenCompose(
                        answer -> answer.map(CompletableFuture::completedFuture).orElseGet(() -> {
                            sentThroughKafka.increment();
                            return bus.submit(projectId, command, actor, idempotencyKey);
                        }));
    }

    private Optional<PoolResult> localAnswer(String projectId, PoolCommand query) {
        int partition;
        try {
            partition = bus.partitionOf(projectId);
        } catch (RuntimeException e) {
            return Optional.empty(); // no metadata: the Kafka path answers with the right error
        }
        long sentThrough = bus.sentThrough(partition);
        if (sentThrough < 0) {
            return Optional.empty();
        }
        Optional<ResponseBody> body;
        try {
            body = local.read(projectId, partition, sentThrough, query);
        } catch (RuntimeException e) {
            log.warn("local {} of project {} failed, asking through Kafka", query.type(), projectId, e);
            return Optional.empty();
        }
        body.ifPresent(answer -> answeredLocally.increment());
        return body.map(answer ->
                new PoolResult(PoolResult.VERSION, null, null, answer.httpStatus(), Json.tree(answer), null, null));
    }

    @Override
    public void close() {
        readers.shutdown();
    }
}
