package dev.tokenpool.processor;

import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.ResponseBody;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the reads of a pool (a lookup, a list page, a count) from this processor instance's own
 * stores, without a Kafka round trip, for a gateway in the same JVM (the standalone). Reads go through
 * interactive queries at READ_COMMITTED, so they never see a write that may still abort, and they
 * are the same code as the Kafka path ({@link TokenPool}), so they answer the same.
 *
 * <p>Read-your-writes: the caller names the highest commands-topic offset of the partition the read
 * must include (the last command it sent there); the read waits (briefly) until the partition's stores
 * have committed that far (see {@link CommittedCommands}). When this instance cannot answer — the partition is elsewhere
 * or not active here, a rebalance is under way, the stores lag — the read is declined and the caller
 * takes the Kafka path, which always answers.
 */
public final class LocalPoolReads {
    private static final Logger log = LoggerFactory.getLogger(LocalPoolReads.class);
    /** The stores commit right after the transaction that carried the result: microseconds, unless the thread is preempted. */
    private static final Duration COMMIT_WAIT = Duration.ofMillis(100);

    private static final long POLL_NANOS = Duration.ofMillis(1).toNanos() / 5;

    private final KafkaStreams streams;
    private final CommittedCommands commits;

    LocalPoolReads(KafkaStreams streams, CommittedCommands commits) {
        this.streams = streams;
        this.commits = commits;
    }

    /**
     * The answer to {@code query} (GetToken, ListTokens or CountTokens) for the project whose commands go
     * to {@code partition}, at least as fresh as the command at {@code sentThrough} (-1: any);
     * empty when it must go through Kafka instead. Blocks for at most {@link #COMMIT_WAIT}.
     */
    public Optional<ResponseBody> read(String projectId, int partition, long sentThrough, PoolCommand query) {
        if (!query.readsOnly()) {
            return Optional.empty();
        }
        if (!commits.processing(partition)) {
            // Not active here, or nothing processed since its stores opened: the Kafka path answers at once, and
            // its command makes the partition known. (Waiting would only delay an answer from elsewhere.)
            return Optional.empty();
        }
        if (!committedThrough(partition, sentThrough)) {
            log.debug(
                    "partition {} has not committed offset {} yet: {} goes through Kafka",
                    partition,
                    sentThrough,
                    query.type());
            return Optional.empty();
        }
        try {
            Optional<ProjectRecord> project = ProjectSettingsStore.project(projects(), projectId);
            if (project.isEmpty()) {
                return Optional.empty(); // the Kafka path gives invalid_project, as the processor sees the registry
            }
            PoolStores.Staged stores = new PoolStores.Staged(
                    stagedQuery(PoolStores.TOKENS_STORE, partition),
                    stagedQuery(PoolStores.ORDER_STORE, partition),
                    stagedQuery(PoolStores.META_STORE, partition));
            TokenPool pool = new TokenPool(project.get(), stores, System.currentTimeMillis());
            return Optional.of(
                    switch (query) {
                        case PoolCommand.GetToken get -> pool.find(get.tokenId());
                        case PoolCommand.ListTokens list -> pool.list(list.from());
                        default -> pool.countTokens();
                    });
        } catch (InvalidStateStoreException | QueriedStore.NotAnswerable e) {
            log.debug("{} of project {} goes through Kafka: {}", query.type(), projectId, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean committedThrough(int partition, long offset) {
        long deadline = System.nanoTime() + COMMIT_WAIT.toNanos();
        while (commits.committedThrough(partition) < offset) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    private ReadOnlyKeyValueStore<String, byte[]> projects() {
        return streams.store(
                StoreQueryParameters.fromNameAndType(ProjectSettingsStore.STORE, QueryableStoreTypes.keyValueStore()));
    }

    private StagedStore stagedQuery(String store, int partition) {
        return StagedStore.readOnly(new QueriedStore(streams, store, partition));
    }
}
