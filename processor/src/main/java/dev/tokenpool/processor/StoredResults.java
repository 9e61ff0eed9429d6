package dev.tokenpool.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.processor.PoolSchema.ExpiryEntry;
import dev.tokenpool.processor.PoolSchema.StoredResult;
import dev.tokenpool.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The results of one project's commands that carried an idempotency key, kept where the commands take effect:
 * the first command with a key is applied and its result stored in the same transaction; a later command with
 * the key and the same content is answered with that result and not applied; with other content it is refused.
 * A result is kept for the retention, then the key is free again. A project holds at most {@code maxKeys} keys;
 * past that a new key is refused until the oldest expires, so a stored key is never dropped early.
 *
 * <p>One instance serves one command and only stages its writes ({@link StagedStore}); {@link #expire} removes
 * what outlived the retention, for the project rules.
 */
final class StoredResults {
    private static final byte[] EMPTY = new byte[0];

    /** What a command with an idempotency key meets. */
    sealed interface Check {}

    /** No live result under the key: apply the command and store its result. */
    record Fresh() implements Check {}

    /** The same content was applied already: answer its result again. */
    record Replay(StoredResult stored) implements Check {
        JsonNode body() {
            try {
                return Json.parse(stored.body());
            } catch (IOException e) {
                throw new UncheckedIOException("a stored result is not JSON", e);
            }
        }
    }

    /** The key was used with other content: refuse, apply nothing. */
    record Reused() implements Check {}

    /** The project holds as many keys as it may: refuse until the oldest expires. */
    record Full(long retryAfterSeconds) implements Check {}

    private final StagedStore store;
    private final String projectId;
    private final long retentionMillis;
    private final long maxKeys;
    private final long nowMillis;

    StoredResults(StagedStore store, String projectId, Duration retention, long maxKeys, long nowMillis) {
        this.store = store;
        this.projectId = projectId;
        this.retentionMillis = retention.toMillis();
        this.maxKeys = maxKeys;
        this.nowMillis = nowMillis;
    }

    /**
     * Whether a result is kept for retries: every answer of a command that was worked out, but not a failure of
     * the service (5xx) or a 429, which a retry is meant to get past.
     */
    static boolean keeps(int status) {
        return status < 500 && status != 429;
    }

    /** The SHA-256 of what a command asks: two commands that ask the same thing have the same fingerprint. */
    static byte[] fingerprint(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Check check(String key, byte[] fingerprint) {
        StoredResult stored = StoredResult.from(store.get(PoolSchema.storedResultKey(projectId, key)));
        if (stored != null && isLive(stored.storedAtMillis(), retentionMillis, nowMillis)) {
            return Arrays.equals(stored.fingerprint(), fingerprint) ? new Replay(stored) : new Reused();
        }
        if (stored != null || count() < maxKeys) {
            return new Fresh();
        }
        // At the bound: keys past their retention that the rules have not removed yet make room first.
        List<ExpiryEntry> queue = oldest((int) Math.min(1_000, maxKeys));
        long expired = queue.stream()
                .filter(entry -> !isLive(entry.storedAtMillis(), retentionMillis, nowMillis))
                .count();
        if (expired > 0) {
            return new Fresh();
        }
        long oldest = queue.isEmpty() ? nowMillis : queue.getFirst().storedAtMillis();
        return new Full(Math.max(1, (oldest + retentionMillis - nowMillis + 999) / 1000));
    }

    /** Stores the result of a command that was applied under {@code key}. */
    void store(String key, byte[] fingerprint, int status, byte[] body) {
        Bytes resultKey = PoolSchema.storedResultKey(projectId, key);
        boolean newKey = store.get(resultKey) == null;
        if (!newKey || count() >= maxKeys) {
            // an expired result of the key is replaced; at the bound, expired keys leave to make room
            removeExpired(oldest((int) Math.min(1_000, maxKeys)), newKey ? 1 : 0);
        }
        store.put(resultKey, new StoredResult(fingerprint, nowMillis, status, body).bytes());
        store.put(new ExpiryEntry(projectId, nowMillis, key).bytes(), EMPTY);
        if (newKey) {
            setCount(count() + 1);
        }
    }

    private List<ExpiryEntry> oldest(int limit) {
        List<ExpiryEntry> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> queue =
                store.range(ExpiryEntry.first(projectId), ExpiryEntry.lastBefore(projectId, Long.MAX_VALUE), false)) {
            while (queue.hasNext() && entries.size() < limit) {
                entries.add(ExpiryEntry.from(projectId, queue.next().key));
            }
        }
        return entries;
    }

    /** Removes the expired entries of {@code queue} (oldest first) until {@code room} keys were freed. */
    private void removeExpired(List<ExpiryEntry> queue, int room) {
        int freed = 0;
        for (ExpiryEntry entry : queue) {
            if (isLive(entry.storedAtMillis(), retentionMillis, nowMillis) || freed >= room) {
                return;
            }
            store.delete(entry.bytes());
            Bytes resultKey = PoolSchema.storedResultKey(projectId, entry.idempotencyKey());
            StoredResult result = StoredResult.from(store.get(resultKey));
            if (result != null && result.storedAtMillis() == entry.storedAtMillis()) {
                store.delete(resultKey);
                setCount(count() - 1);
                freed++;
            }
        }
    }

    private long count() {
        byte[] count = store.get(PoolSchema.keyCountKey(projectId));
        return count == null ? 0 : ByteBuffer.wrap(count).getLong();
    }

    private void setCount(long count) {
        Bytes key = PoolSchema.keyCountKey(projectId);
        if (count <= 0) {
            store.delete(key);
        } else {
            store.put(key, ByteBuffer.allocate(Long.BYTES).putLong(count).array());
        }
    }

    static boolean isLive(long storedAtMillis, long retentionMillis, long nowMillis) {
        return nowMillis - storedAtMillis < retentionMillis;
    }

    /**
     * Removes at most {@code budget} keys whose retention ran out, oldest first in each project, and
     * returns how many it removed; work in proportion to the projects holding keys and what expired.
     */
    static int expire(KeyValueStore<Bytes, byte[]> store, Duration retention, long nowMillis, int budget) {
        int removed = 0;
        for (String projectId : projectsWithKeys(store)) {
            if (removed >= budget) {
                break;
            }
            StagedStore staged = new StagedStore(store);
            StoredResults results = new StoredResults(staged, projectId, retention, Long.MAX_VALUE, nowMillis);
            List<ExpiryEntry> due = results.due(budget - removed);
            for (ExpiryEntry entry : due) {
                staged.delete(entry.bytes());
                Bytes resultKey = PoolSchema.storedResultKey(projectId, entry.idempotencyKey());
                StoredResult result = StoredResult.from(staged.get(resultKey));
                if (result != null && result.storedAtMillis() == entry.storedAtMillis()) {
                    staged.delete(resultKey);
                    results.setCount(results.count() - 1);
                }
            }
            staged.flush();
            removed += due.size();
        }
        return removed;
    }

    /** Whether some project holds a key whose retention ran out. */
    static boolean hasExpired(KeyValueStore<Bytes, byte[]> store, Duration retention, long nowMillis) {
        for (String projectId : projectsWithKeys(store)) {
            StoredResults results =
                    new StoredResults(StagedStore.readOnly(store), projectId, retention, Long.MAX_VALUE, nowMillis);
            if (!results.due(1).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The entries of the project's queue whose retention ran out, at most {@code limit}, oldest first. */
    private List<ExpiryEntry> due(int limit) {
        List<ExpiryEntry> entries = new ArrayList<>();
        long cutoff = nowMillis - retentionMillis + 1; // stored before this: not live any more
        try (KeyValueIterator<Bytes, byte[]> queue =
                store.range(ExpiryEntry.first(projectId), ExpiryEntry.lastBefore(projectId, cutoff), false)) {
            while (queue.hasNext() && entries.size() < limit) {
                entries.add(ExpiryEntry.from(projectId, queue.next().key));
            }
        }
        return entries;
    }

    private static List<String> projectsWithKeys(KeyValueStore<Bytes, byte[]> store) {
        List<String> projects = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> counts = store.range(
                Bytes.wrap(new byte[] {PoolSchema.KEY_COUNT}), Bytes.wrap(new byte[] {PoolSchema.KEY_COUNT + 1}))) {
            while (counts.hasNext()) {
                KeyValue<Bytes, byte[]> count = counts.next();
                String project = PoolSchema.keyCountProject(count.key);
                if (project != null) {
                    projects.add(project);
                }
            }
        }
        return projects;
    }
}
