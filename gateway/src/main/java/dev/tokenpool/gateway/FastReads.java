package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads answered without the Kafka round trip: from the stores in this JVM ({@link LocalReads}) or by the
 * processor that holds the pool ({@link RoutedReads}). Called on an event loop; never blocks it.
 */
@FunctionalInterface
interface FastReads {
    /**
     * The answer to a read of the pool of {@code projectId}, whose commands go to {@code partition}, that includes
     * every command of that partition up to offset {@code sentThrough}; empty when it cannot be given this way now,
     * and the read goes through Kafka (as it does when the future fails).
     */
    CompletableFuture<Optional<ResponseBody>> read(
            String projectId, int partition, long sentThrough, PoolCommand query);
}
