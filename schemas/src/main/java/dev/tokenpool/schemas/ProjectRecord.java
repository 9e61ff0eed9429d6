package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A project in the registry (compacted topic, key = project ID). {@code poolLimit} is the most tokens
 * the project's pool may hold. Secrets are never kept in clear: the API key only as a one-way lookup
 * hash, the secret key of Secure Data Transmission only sealed under the gateways' master key.
 *
 * @param apiKeyHash         the API key's lookup hash (see the gateway's ApiKeys); null for projects
 *                           reached over Kafka only
 * @param secureTransmission null when the project never set it (off)
 * @param sealedSecretKey    null until a secret key is issued
 * @param expiration         when tokens expire; null: never
 * @param deleteOnExpiration whether expired tokens leave the pool by themselves; null: yes when they expire
 * @param volumeDeletion     automatic deletion of the oldest (or newest) tokens of a full pool; null: none
 * @param rateLimit          the project's request limits; null: none
 * @param webhook            where the project's token events are delivered; null: nowhere
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectRecord(
        int version,
        String projectId,
        String name,
        String apiKeyHash,
        long poolLimit,
        String createdAt,
        String updatedAt,
        SecureTransmission secureTransmission,
        SealedSecret sealedSecretKey,
        Expiration expiration,
        Boolean deleteOnExpiration,
        VolumeDeletion volumeDeletion,
        RateLimit rateLimit,
        Webhook webhook) {
    public static final int VERSION = 1;
    /** The longest name the admin API gives a project. */
    public static final int MAX_NAME_LENGTH = 100;

    public ProjectRecord {
        if (!ProjectIds.isValid(projectId)) {
            throw new IllegalArgumentException("invalid project ID: " + projectId);
        }
        if (poolLimit < 1) {
            throw new IllegalArgumentException("poolLimit must be at least 1");
        }
    }

    /** A new project with plain transmission and the given API key hash (null: none). */
    public static ProjectRecord create(String projectId, String name, String apiKeyHash, long poolLimit) {
        String now = Timestamps.now();
        return new ProjectRecord(
                VERSION, projectId, name, apiKeyHash, poolLimit, now, now, null, null, null, null, null, null, null);
    }

    /**
     * A new project without an API key, for producers and tests that write the registry themselves
     * (the admin API issues the key of the projects it creates).
     */
    public static ProjectRecord of(String projectId, String name, long poolLimit) {
        return create(projectId, name, null, poolLimit);
    }

    /** The project's Secure Data Transmission setting; {@link SecureTransmission#OFF} when never set. */
    public SecureTransmission transmission() {
        return secureTransmission == null ? SecureTransmission.OFF : secureTransmission;
    }

    /** Whether expired tokens leave the pool by themselves: by default yes, once tokens can expire at all. */
    public boolean deletesExpired() {
        return expiration != null && (deleteOnExpiration == null || deleteOnExpiration);
    }

    /** The lifecycle settings; each null argument sets that setting to none (use the current value to keep it). */
    public ProjectRecord withLifecycle(
            Expiration newExpiration, Boolean newDeleteOnExpiration, VolumeDeletion newVolumeDeletion, String now) {
        return edit(now, draft -> {
            draft.expiration = newExpiration;
            draft.deleteOnExpiration = newDeleteOnExpiration;
            draft.volumeDeletion = newVolumeDeletion;
        });
    }

    public ProjectRecord withName(String newName, String now) {
        return edit(now, draft -> draft.name = newName);
    }

    public ProjectRecord withPoolLimit(long newLimit, String now) {
        return edit(now, draft -> draft.poolLimit = newLimit);
    }

    public ProjectRecord withApiKeyHash(String newHash, String now) {
        return edit(now, draft -> draft.apiKeyHash = newHash);
    }

    public ProjectRecord withSecureTransmission(SecureTransmission setting, String now) {
        return edit(now, draft -> draft.secureTransmission = setting);
    }

    public ProjectRecord withRateLimit(RateLimit limit, String now) {
        return edit(now, draft -> draft.rateLimit = limit);
    }

    public ProjectRecord withSealedSecretKey(SealedSecret sealed, String now) {
        return edit(now, draft -> draft.sealedSecretKey = sealed);
    }

    public ProjectRecord withWebhook(Webhook newWebhook, String now) {
        return edit(now, draft -> draft.webhook = newWebhook);
    }

    /** At most {@code perDay} commands of this project a UTC day; empty when it has no daily quota. */
    public OptionalLong dailyQuota() {
        return rateLimit == null || rateLimit.requestsPerDay() == null
                ? OptionalLong.empty()
                : OptionalLong.of(rateLimit.requestsPerDay());
    }

    /** A copy of this project with {@code change} made to its settings, updated at {@code now}. */
    private ProjectRecord edit(String now, Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return new ProjectRecord(
                VERSION,
                projectId,
                draft.name,
                draft.apiKeyHash,
                draft.poolLimit,
                createdAt,
                now,
                draft.secureTransmission,
                draft.sealedSecretKey,
                draft.expiration,
                draft.deleteOnExpiration,
                draft.volumeDeletion,
                draft.rateLimit,
                draft.webhook);
    }

    /** The settings of a project being changed: the one place a new setting is copied, not every wither. */
    private static final class Draft {
        String name;
        String apiKeyHash;
        long poolLimit;
        SecureTransmission secureTransmission;
        SealedSecret sealedSecretKey;
        Expiration expiration;
        Boolean deleteOnExpiration;
        VolumeDeletion volumeDeletion;
        RateLimit rateLimit;
        Webhook webhook;

        Draft(ProjectRecord project) {
            name = project.name;
            apiKeyHash = project.apiKeyHash;
            poolLimit = project.poolLimit;
            secureTransmission = project.secureTransmission;
            sealedSecretKey = project.sealedSecretKey;
            expiration = project.expiration;
            deleteOnExpiration = project.deleteOnExpiration;
            volumeDeletion = project.volumeDeletion;
            rateLimit = project.rateLimit;
            webhook = project.webhook;
        }
    }
}
