package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import java.util.concurrent.CompletableFuture;

/** Hands a command of a project's pool to the processor and waits for its result. */
interface CommandSender {
    /**
     * The future ends with the command's result, a {@link java.util.concurrent.TimeoutException}
     * (the command may still be applied) or a {@link KafkaUnavailableException} (nothing was applied).
     * {@code actor} names the sender in the audit log (null: none given); a command with an
     * {@code idempotencyKey} (null: none) is applied once per key.
     */
    CompletableFuture<PoolResult> submit(String projectId, PoolCommand command, String actor, String idempotencyKey);
}
