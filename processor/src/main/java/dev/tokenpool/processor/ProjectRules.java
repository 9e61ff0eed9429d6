package dev.tokenpool.processor;

import dev.tokenpool.processor.PoolSchema.PoolMeta;
import dev.tokenpool.schemas.ProjectRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project rules that act without a command, on the wall clock, for the pools of one task: every
 * second, tokens whose TTL ran out expire (and leave, when the project deletes expired tokens),
 * volume deletions under way go on and stored results of idempotency keys past their retention leave;
 * every volume-deletion interval, each pool is checked against its threshold. Each round handles at most {@code budget} tokens, so a huge sweep goes on over the next
 * rounds instead of holding up commands; rounds start at a different pool each time, so every pool
 * gets its turn. Each pool's round is all-or-nothing, with its events and audit record.
 *
 * <p>Kafka Streams commits a transaction after every punctuation, so the rounds are only scheduled
 * while some pool of the task has work for them (see {@link RulesSchedule}): an idle processor
 * commits nothing.
 */
final class ProjectRules {
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ProjectRules.class);

    private final PoolStores stores;
    private final ReadOnlyKeyValueStore<String, byte[]> projects;
    private final Outbox outbox;
    private final int budget;
    private final Duration idempotencyRetention;
    private long round;

    ProjectRules(
            PoolStores stores,
            ReadOnlyKeyValueStore<String, byte[]> projects,
            Outbox outbox,
            int budget,
            Duration idempotencyRetention) {
        this.stores = stores;
        this.projects = projects;
        this.outbox = outbox;
        this.budget = budget;
        this.idempotencyRetention = idempotencyRetention;
    }

    /**
     * Expiry by time and volume deletions under way, within the round's budget. Returns whether a
     * next round has work: a pool holding tokens under a TTL, or a volume deletion still under way.
     */
    boolean run(long nowMillis) {
        List<KeyValue<ProjectRecord, PoolMeta>> pools = pools();
        int left = budget;
        for (int i = 0; i < pools.size() && left > 0; i++) {
            KeyValue<ProjectRecord, PoolMeta> pool = pools.get((int) ((round + i) % pools.size()));
            ProjectRecord project = pool.key;
            int share = left;
            if (project.expiration() != null && project.expiration().ttlSeconds() != null) {
                left -= inOneStep(project, nowMillis, tokens -> {
                    int expired = tokens.expireByTime(share);
                    return expired == 0
                            ? Optional.empty()
                            : Optional.of(Audit.ofRule(
                                    project.projectId(),
                                    "expiry_sweep",
                                    Audit.EXPIRATION_ACTOR,
                                    counts(
                                            "expired",
                                            expired,
                                            "deleted",
                                            project.deletesExpired() ? expired : 0,
                                            "currentCount",
                                            tokens.count()),
                                    nowMillis));
                });
            }
            if (pool.value.volumeDeletionPending() > 0 && left > 0) {
                int rest = left;
                left -= inOneStep(project, nowMillis, tokens -> {
                    int deleted = tokens.continueVolumeDeletion(rest);
                    return deleted == 0
                            ? Optional.empty()
                            : Optional.of(Audit.ofRule(
                                    project.projectId(),
                                    "volume_deletion",
                                    Audit.VOLUME_DELETION_ACTOR,
                                    counts("deleted", deleted, "currentCount", tokens.count()),
                                    nowMillis));
                });
            }
        }
        if (left > 0) {
            left -= StoredResults.expire(stores.idempotency(), idempotencyRetention, nowMillis, left);
        }
        round++;
        return pools().stream().anyMatch(ProjectRules::hasWork)
                || StoredResults.hasExpired(stores.idempotency(), idempotencyRetention, nowMillis);
    }

    private static boolean hasWork(KeyValue<ProjectRecord, PoolMeta> pool) {
        var expiration = pool.key.expiration();
        return pool.value.volumeDeletionPending() > 0
                || (expiration != null && expiration.ttlSeconds() != null && pool.value.count() > 0);
    }

    /** Starts a volume deletion in every pool past its project's threshold; {@link #run} carries it out. */
    void checkVolumes(long nowMillis) {
        for (KeyValue<ProjectRecord, PoolMeta> pool : pools()) {
            if (pool.key.volumeDeletion() != null) {
                inOneStep(pool.key, nowMillis, tokens -> {
                    long toDelete = tokens.startVolumeDeletion();
                    if (toDelete > 0) {
                        log.info(
                                "pool of {} holds {} of {} tokens: deleting {} ({})",
                                pool.key.projectId(),
                                tokens.count(),
                                pool.key.poolLimit(),
                                toDelete,
                                pool.key.volumeDeletion().order().wire());
                    }
                    return Optional.empty();
                });
            }
        }
    }

    /** What a rule does to one pool, and the audit record of it (empty: nothing worth recording). */
    private interface Step {
        Optional<dev.tokenpool.schemas.AuditRecord> apply(TokenPool pool);
    }

    /** Runs one rule on one pool against staged stores and applies it whole; returns the tokens it touched. */
    private int inOneStep(ProjectRecord project, long nowMillis, Step step) {
        PoolStores.Staged staged = stores.stage();
        TokenPool pool = new TokenPool(project, staged, nowMillis);
        long before = pool.count();
        Optional<dev.tokenpool.schemas.AuditRecord> audit;
        try {
            audit = step.apply(pool);
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("project rule on the pool of {} failed; nothing was written", project.projectId(), e);
            return 0;
        }
        staged.flush();
        outbox.events(project.projectId(), pool.events(), nowMillis);
        audit.ifPresent(record -> outbox.audit(record, nowMillis));
        return (int) Math.max(before - pool.count(), pool.events().size());
    }

    /** The pools of this task whose project is registered, with their meta. */
    private List<KeyValue<ProjectRecord, PoolMeta>> pools() {
        List<KeyValue<ProjectRecord, PoolMeta>> pools = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> metas = stores.meta().all()) {
            while (metas.hasNext()) {
                KeyValue<Bytes, byte[]> meta = metas.next();
                String projectId = PoolSchema.projectId(meta.key);
                try {
                    ProjectSettingsStore.project(projects, projectId)
                            .ifPresent(project -> pools.add(KeyValue.pair(project, PoolMeta.from(meta.value))));
                } catch (RuntimeException e) {
                    log.warn("skipping the rules of {}: {}", projectId, e.getMessage());
                }
            }
        }
        return pools;
    }

    private static Map<String, Long> counts(Object... namesAndValues) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            counts.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
        }
        return counts;
    }
}
