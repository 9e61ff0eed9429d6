package dev.tokenpool.gateway;

import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.SealedSecret;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.VolumeDeletion;
import dev.tokenpool.schemas.Webhook;
import java.util.List;

/** What a create or PATCH body of the admin API says of each setting of a project: keep, clear or set it. */
record ProjectChanges(
        Change<String> name,
        Change<Long> poolLimit,
        Transmission secureTransmission,
        Change<Expiration> expiration,
        Change<Boolean> deleteOnExpiration,
        Change<VolumeDeletion> volumeDeletion,
        Change<Integer> requestsPerSecond,
        Change<Long> requestsPerDay,
        Change<WebhookTarget> webhook) {

    /** Where a webhook goes and what it gets ({@code events} null: every event); its secret is tokenpool's to make. */
    record WebhookTarget(String url, List<String> events) {}

    /** Whether the project may come to have a webhook it had no secret for. */
    boolean setsWebhook() {
        return webhook instanceof Change.Set<WebhookTarget>;
    }

    /** What the body says of each Secure Data Transmission field. */
    record Transmission(
            Change<Boolean> enabled, Change<TransmissionCipher.Mode> mode, Change<SecureTransmission.KeySource> key) {
        static final Transmission KEEP = new Transmission(Change.keep(), Change.keep(), Change.keep());

        boolean changes() {
            return enabled.changes() || mode.changes() || key.changes();
        }

        SecureTransmission applyTo(SecureTransmission current) {
            return new SecureTransmission(
                    enabled.applyTo(current.enabled()), mode.applyTo(current.mode()), key.applyTo(current.key()));
        }
    }

    /** Whether the project may come to use a secret key it has not been issued yet. */
    boolean mayNeedSecretKey() {
        return secureTransmission.key().sets(SecureTransmission.KeySource.SECRET_KEY);
    }

    /**
     * The project after these changes. A webhook set where there was none is signed by {@code newWebhookSecret}; one
     * that existed keeps its secrets.
     */
    ProjectRecord applyTo(ProjectRecord project, String now, SealedSecret newWebhookSecret) {
        ProjectRecord updated = applyTo(project, now);
        return switch (webhook) {
            case Change.Keep<WebhookTarget> keep -> updated;
            case Change.Clear<WebhookTarget> clear -> updated.withWebhook(null, now);
            case Change.Set<WebhookTarget>(WebhookTarget target) ->
                updated.withWebhook(
                        updated.webhook() == null
                                ? new Webhook(target.url(), target.events(), newWebhookSecret, null, null)
                                : updated.webhook().retargeted(target.url(), target.events()),
                        now);
        };
    }

    ProjectRecord applyTo(ProjectRecord project, String now) {
        ProjectRecord updated = project;
        if (name.changes()) {
            updated = updated.withName(name.applyTo(updated.name()), now);
        }
        if (poolLimit.changes()) {
            updated = updated.withPoolLimit(poolLimit.applyTo(updated.poolLimit()), now);
        }
        if (secureTransmission.changes()) {
            updated = updated.withSecureTransmission(secureTransmission.applyTo(updated.transmission()), now);
        }
        if (expiration.changes() || deleteOnExpiration.changes() || volumeDeletion.changes()) {
            updated = updated.withLifecycle(
                    expiration.applyTo(updated.expiration()),
                    deleteOnExpiration.applyTo(updated.deleteOnExpiration()),
                    volumeDeletion.applyTo(updated.volumeDeletion()),
                    now);
        }
        if (requestsPerSecond.changes() || requestsPerDay.changes()) {
            RateLimit current = updated.rateLimit();
            updated = updated.withRateLimit(
                    RateLimit.orNone(
                            requestsPerSecond.applyTo(current == null ? null : current.requestsPerSecond()),
                            requestsPerDay.applyTo(current == null ? null : current.requestsPerDay())),
                    now);
        }
        return updated;
    }
}
