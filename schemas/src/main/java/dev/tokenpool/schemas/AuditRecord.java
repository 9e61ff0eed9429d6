package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One record per mutation of a pool on the audit topic (key: project ID): when, which project, what
 * was done, by whom, how many tokens it touched and the HTTP status it was answered with. It never
 * holds a token ID or any other token content.
 *
 * @param action        add_tokens, delete_tokens, delete_by_order, use_token, expiry_sweep, volume_deletion
 * @param actor         who asked: {@code api-key:<fingerprint>} (through a gateway), {@code kafka} (a producer
 *                      on the commands topic, or the name it gave in the command's {@code actor}), or
 *                      {@code system:expiration} / {@code system:volume-deletion} (a project's rule)
 * @param counts        what the action touched, for example {"submitted": 3, "added": 2, "currentCount": 9}
 * @param correlationId the command's; absent for system rules
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(
        int version,
        String time,
        String projectId,
        String action,
        String actor,
        int status,
        Map<String, Long> counts,
        String correlationId) {
    public static final int VERSION = 1;
}
