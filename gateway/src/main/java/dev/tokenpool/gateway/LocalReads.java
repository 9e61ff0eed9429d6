package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import java.util.Optional;

/**
 * Pool state held in the gateway's own JVM (the standalone runs the processor beside it), which can
 * answer reads without a Kafka round trip.
 */
@FunctionalInterface
public interface LocalReads {
    /**
     * The answer to a read ({@code GetToken}, {@code ListTokens}, {@code CountTokens}) of the pool of
     * {@code projectId}, whose commands go to {@code partition}, that includes every command of that
     * partition up to offset {@code sentThrough} (-1: none required); empty when it cannot be answered
     * here, and the read goes through Kafka. May block briefly: never call it on an event loop.
     */
    Optional<ResponseBody> read(String projectId, int partition, long sentThrough, PoolCommand query);
}
