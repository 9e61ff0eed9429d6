package dev.tokenpool.processor;

import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.DeleteTokensResponse;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit record of a mutation: counts and outcome only, never a token ID. Reads (get, list, count)
 * change nothing and are not audited; a mutation that was refused is, with its status.
 */
final class Audit {
    static final String KAFKA_ACTOR = "kafka";
    static final String EXPIRATION_ACTOR = "system:expiration";
    static final String VOLUME_DELETION_ACTOR = "system:volume-deletion";

    private Audit() {}

    /** The record of a command that was worked out; empty for a read. */
    static Optional<AuditRecord> ofCommand(
            String projectId, CommandEnvelope envelope, ResponseBody body, long nowMillis) {
        PoolCommand command = envelope.command();
        Map<String, Long> counts = new LinkedHashMap<>();
        switch (command) {
            case PoolCommand.AddTokens add -> {
                counts.put("submitted", (long) add.tokenIds().size());
                if (body instanceof AddTokensResponse added) {
                    counts.put("processed", (long) added.summary().processed());
                    counts.put("currentCount", added.summary().currentCount());
                }
            }
            case PoolCommand.DeleteTokens delete -> {
                counts.put("submitted", (long) delete.tokenIds().size());
                if (body instanceof DeleteTokensResponse deleted) {
                    counts.put("deleted", (long) deleted.summary().deleted());
                    counts.put("notFound", (long) deleted.summary().notFound());
                }
            }
            case PoolCommand.DeleteByOrder delete -> {
                counts.put("requested", (long) delete.count());
                if (body instanceof DeleteByOrderResponse deleted) {
                    counts.put("deleted", (long) deleted.summary().deleted());
                }
            }
            case PoolCommand.UseToken use -> {
                if (body instanceof TokenDetails details) {
                    counts.put("uses", (long) details.data().uses());
                    counts.put("expired", details.data().expired() ? 1L : 0L);
                }
            }
            case PoolCommand.GetToken get -> {
                return Optional.empty();
            }
            case PoolCommand.ListTokens list -> {
                return Optional.empty();
            }
            case PoolCommand.CountTokens count -> {
                return Optional.empty();
            }
        }
        String actor = envelope.actor() == null ? KAFKA_ACTOR : envelope.actor();
        return Optional.of(new AuditRecord(
                AuditRecord.VERSION,
                Timestamps.formatMillis(nowMillis),
                projectId,
                command.type(),
                actor,
                body.httpStatus(),
                counts,
                envelope.correlationId()));
    }

    /** The record of a project rule at work (expiry sweep, volume deletion). */
    static AuditRecord ofRule(String projectId, String action, String actor, Map<String, Long> counts, long nowMillis) {
        return new AuditRecord(
                AuditRecord.VERSION, Timestamps.formatMillis(nowMillis), projectId, action, actor, 200, counts, null);
    }
}
