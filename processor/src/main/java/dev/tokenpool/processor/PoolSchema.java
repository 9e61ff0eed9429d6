package dev.tokenpool.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * The storage layout of every pool: the keys and values of the three pool stores, encoded and
 * decoded side by side.
 *
 * <pre>
 * pool-tokens  key   project ‖ 0x00 ‖ token ID (UTF-8)        value  sequence (8) ‖ registered at, epoch ms (8) ‖ uses (8)
 * pool-order   key   project ‖ 0x00 ‖ sequence (8, big-endian) value  token ID (UTF-8)
 * pool-meta    key   project                                 value  count (8) ‖ next sequence (8)
 *                                                                   ‖ expiry events sent below sequence (8)
 *                                                                   ‖ volume deletion still to do (8)
 *                                                                   ‖ no live token below sequence (8)
 *                                                                   ‖ count when the volume deletion began (8)
 *                                                                   ‖ tokens it deleted so far (8)
 *                                                                   ‖ UTC day of the quota count (8)
 *                                                                   ‖ commands counted that day (8)
 * pool-idempotency
 *              key   project ‖ 0x00 ‖ idempotency key (ASCII)  value  fingerprint (32) ‖ stored at, epoch ms (8)
 *                                                                   ‖ HTTP status (4) ‖ body (JSON)
 *              key   0x00 ‖ project ‖ 0x00 ‖ stored at (8) ‖ idempotency key           value  empty: the expiry queue
 *              key   0x01 ‖ project                          value  how many keys the project holds (8)
 * </pre>
 *
 * A token's sequence is its registration stamp: microseconds since the epoch, strictly increasing
 * within a pool (the registration time, or one more than the pool's last stamp), so the order index is
 * registration order, registration times never decrease along it (it is the expiry queue of a TTL), and
 * a list page can resume at a stamp. Values written before later fields existed (shorter meta values, 16-byte
 * token entries) are read with zeros for those fields.
 *
 * Project IDs never contain 0x00, so the separator ends the project ID: one project's entries are a
 * single contiguous key range, and no project's range overlaps another's even when one ID is a prefix
 * of another ("a\0…" sorts before "ab\0…" and before "a.b\0…"). Big-endian sequences sort byte-wise
 * in registration order. Project IDs start with a letter, digit or {@code ._-}, never 0x00 or 0x01, so the
 * expiry queue and the key counts of the idempotency store sort apart from its stored results.
 */
final class PoolSchema {
    static final byte SEPARATOR = 0x00;
    static final byte EXPIRY_QUEUE = 0x00;
    static final byte KEY_COUNT = 0x01;
    static final int SEQUENCE_SIZE = Long.BYTES;
    static final int TIMESTAMP_SIZE = Long.BYTES;
    static final int LEGACY_TOKEN_ENTRY_SIZE = SEQUENCE_SIZE + TIMESTAMP_SIZE;
    static final int TOKEN_ENTRY_SIZE = LEGACY_TOKEN_ENTRY_SIZE + Long.BYTES;
    static final int LEGACY_META_SIZE = 2 * Long.BYTES;
    static final int META_SIZE = 9 * Long.BYTES;

    private PoolSchema() {}

    /** Key of the token store: one entry per (project, token ID). */
    record TokenKey(String projectId, String tokenId) {
        Bytes bytes() {
            return Bytes.wrap(withPrefix(projectId, tokenId.getBytes(StandardCharsets.UTF_8)));
        }

        static TokenKey from(Bytes key) {
            byte[] bytes = key.get();
            int separator = separatorIndex(bytes);
            return new TokenKey(
                    new String(bytes, 0, separator, StandardCharsets.UTF_8),
                    new String(bytes, separator + 1, bytes.length - separator - 1, StandardCharsets.UTF_8));
        }
    }

    /** Key of the order index: (project, registration sequence). */
    record OrderKey(String projectId, long sequence) {
        Bytes bytes() {
            return Bytes.wrap(withPrefix(
                    projectId,
                    ByteBuffer.allocate(SEQUENCE_SIZE).putLong(sequence).array()));
        }

        static OrderKey from(Bytes key) {
            byte[] bytes = key.get();
            int separator = separatorIndex(bytes);
            return new OrderKey(
                    new String(bytes, 0, separator, StandardCharsets.UTF_8),
                    ByteBuffer.wrap(bytes, separator + 1, SEQUENCE_SIZE).getLong());
        }

        /** The first key of a project's order index. */
        static Bytes first(String projectId) {
            return new OrderKey(projectId, 0L).bytes();
        }

        /** The last key of a project's order index. */
        static Bytes last(String projectId) {
            return new OrderKey(projectId, Long.MAX_VALUE).bytes();
        }
    }

    /** Key of the meta store: the project ID alone. */
    static Bytes metaKey(String projectId) {
        return Bytes.wrap(projectId.getBytes(StandardCharsets.UTF_8));
    }

    /** The project a meta store key is of. */
    static String projectId(Bytes metaKey) {
        return new String(metaKey.get(), StandardCharsets.UTF_8);
    }

    /** Value of the order index: the token ID. */
    static byte[] tokenIdValue(String tokenId) {
        return tokenId.getBytes(StandardCharsets.UTF_8);
    }

    static String tokenId(byte[] orderValue) {
        return new String(orderValue, StandardCharsets.UTF_8);
    }

    /** Value of the token store: the token's registration sequence and time, and how often it was used since. */
    record TokenEntry(long sequence, long registeredAtMillis, long uses) {
        byte[] bytes() {
            return ByteBuffer.allocate(TOKEN_ENTRY_SIZE)
                    .putLong(sequence)
                    .putLong(registeredAtMillis)
                    .putLong(uses)
                    .array();
        }

        TokenEntry used() {
            return new TokenEntry(sequence, registeredAtMillis, uses + 1);
        }

        /** The entry, or null for a missing one; throws for bytes that are not an entry. */
        static TokenEntry from(byte[] value) {
            if (value == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(oneOf(value, LEGACY_TOKEN_ENTRY_SIZE, TOKEN_ENTRY_SIZE, "token entry"));
            return new TokenEntry(buffer.getLong(), buffer.getLong(), buffer.hasRemaining() ? buffer.getLong() : 0);
        }
    }

    /**
     * Value of the meta store: how many tokens the pool holds, the sequence the next one gets at least,
     * below which sequence time-based expiry events were sent (for pools that keep expired tokens), how
     * many tokens a volume deletion still has to delete, a sequence no live token is below (the oldest end
     * starts there, so walks from that end do not wade through the tombstones of earlier deletions from it),
     * of a volume deletion under way the count it began at and how many it deleted so far (so a lowered
     * ratio shrinks it: see {@link TokenPool#continueVolumeDeletion}), and how many commands the project
     * sent on one UTC day (its daily quota).
     */
    record PoolMeta(
            long count,
            long nextSequence,
            long expiredBelow,
            long volumeDeletionPending,
            long liveFrom,
            long volumeDeletionFrom,
            long volumeDeleted,
            long quotaDay,
            long quotaUsed) {
        static final PoolMeta EMPTY = new PoolMeta(0, 0, 0, 0, 0, 0, 0, 0, 0);
        // The fields in their order on disk: the one place that order is written.
        private static final int COUNT = 0;
        private static final int NEXT_SEQUENCE = 1;
        private static final int EXPIRED_BELOW = 2;
        private static final int VOLUME_DELETION_PENDING = 3;
        private static final int LIVE_FROM = 4;
        private static final int VOLUME_DELETION_FROM = 5;
        private static final int VOLUME_DELETED = 6;
        private static final int QUOTA_DAY = 7;
        private static final int QUOTA_USED = 8;

        private long[] fields() {
            return new long[] {
                count,
                nextSequence,
                expiredBelow,
                volumeDeletionPending,
                liveFrom,
                volumeDeletionFrom,
                volumeDeleted,
                quotaDay,
                quotaUsed
            };
        }

        private static PoolMeta of(long[] fields) {
            return new PoolMeta(
                    fields[COUNT],
                    fields[NEXT_SEQUENCE],
                    fields[EXPIRED_BELOW],
                    fields[VOLUME_DELETION_PENDING],
                    fields[LIVE_FROM],
                    fields[VOLUME_DELETION_FROM],
                    fields[VOLUME_DELETED],
                    fields[QUOTA_DAY],
                    fields[QUOTA_USED]);
        }

        /** This meta with the field at {@code index} set to {@code value}. */
        private PoolMeta with(int index, long value) {
            long[] fields = fields();
            fields[index] = value;
            return of(fields);
        }

        byte[] bytes() {
            ByteBuffer buffer = ByteBuffer.allocate(META_SIZE);
            buffer.asLongBuffer().put(fields());
            return buffer.array();
        }

        PoolMeta withCount(long newCount) {
            return with(COUNT, newCount);
        }

        PoolMeta withCountAndNext(long newCount, long newNextSequence) {
            return with(COUNT, newCount).with(NEXT_SEQUENCE, newNextSequence);
        }

        PoolMeta withExpiredBelow(long sequence) {
            return with(EXPIRED_BELOW, sequence);
        }

        /** A volume deletion that began at {@code from} tokens, has deleted {@code deleted} and has {@code pending} to go. */
        PoolMeta withVolumeDeletion(long pending, long from, long deleted) {
            boolean underWay = pending > 0;
            return with(VOLUME_DELETION_PENDING, underWay ? pending : 0)
                    .with(VOLUME_DELETION_FROM, underWay ? from : 0)
                    .with(VOLUME_DELETED, underWay ? deleted : 0);
        }

        /** The oldest tokens up to {@code sequence} (exclusive) are gone. */
        PoolMeta withLiveFrom(long sequence) {
            return with(LIVE_FROM, Math.max(liveFrom, sequence));
        }

        /** {@code used} commands counted on UTC day {@code day}. */
        PoolMeta withQuota(long day, long used) {
            return with(QUOTA_DAY, day).with(QUOTA_USED, used);
        }

        /** The meta of a pool, {@link #EMPTY} for a pool never written; throws for bytes that are not one. */
        static PoolMeta from(byte[] value) {
            if (value == null) {
                return EMPTY;
            }
            if (value.length < LEGACY_META_SIZE || value.length > META_SIZE || value.length % Long.BYTES != 0) {
                throw new IllegalStateException("pool meta has " + value.length + " bytes, expected " + META_SIZE);
            }
            long[] fields = new long[META_SIZE / Long.BYTES];
            ByteBuffer.wrap(value).asLongBuffer().get(fields, 0, value.length / Long.BYTES);
            return of(fields);
        }
    }

    /** Key of a stored result: one entry per (project, idempotency key). */
    static Bytes storedResultKey(String projectId, String idempotencyKey) {
        return Bytes.wrap(withPrefix(projectId, idempotencyKey.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Key of the count of a project's idempotency keys. */
    static Bytes keyCountKey(String projectId) {
        byte[] project = projectId.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[project.length + 1];
        key[0] = KEY_COUNT;
        System.arraycopy(project, 0, key, 1, project.length);
        return Bytes.wrap(key);
    }

    /** The project a key count is of, or null for a key that is not one. */
    static String keyCountProject(Bytes key) {
        byte[] bytes = key.get();
        return bytes.length > 1 && bytes[0] == KEY_COUNT
                ? new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8)
                : null;
    }

    /** An entry of a project's expiry queue of idempotency keys: the oldest stored first. */
    record ExpiryEntry(String projectId, long storedAtMillis, String idempotencyKey) {
        Bytes bytes() {
            byte[] project = queuePrefix(projectId);
            byte[] keyBytes = idempotencyKey.getBytes(StandardCharsets.US_ASCII);
            return Bytes.wrap(ByteBuffer.allocate(project.length + Long.BYTES + keyBytes.length)
                    .put(project)
                    .putLong(storedAtMillis)
                    .put(keyBytes)
                    .array());
        }

        /** The first possible entry of a project's queue. */
        static Bytes first(String projectId) {
            return Bytes.wrap(queuePrefix(projectId));
        }

        /** The last possible entry of a project's queue stored before {@code millis}. */
        static Bytes lastBefore(String projectId, long millis) {
            byte[] project = queuePrefix(projectId);
            return Bytes.wrap(ByteBuffer.allocate(project.length + Long.BYTES + 1)
                    .put(project)
                    .putLong(millis - 1)
                    .put((byte) 0x7F) // above every printable ASCII key
                    .array());
        }

        static ExpiryEntry from(String projectId, Bytes key) {
            byte[] bytes = key.get();
            int prefix = queuePrefix(projectId).length;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, prefix, bytes.length - prefix);
            long storedAt = buffer.getLong();
            return new ExpiryEntry(
                    projectId,
                    storedAt,
                    new String(
                            bytes, prefix + Long.BYTES, bytes.length - prefix - Long.BYTES, StandardCharsets.US_ASCII));
        }

        private static byte[] queuePrefix(String projectId) {
            byte[] project = withPrefix(projectId, new byte[0]);
            byte[] prefix = new byte[project.length + 1];
            prefix[0] = EXPIRY_QUEUE;
            System.arraycopy(project, 0, prefix, 1, project.length);
            return prefix;
        }
    }

    /** Value of a stored result: what the first command with an idempotency key asked, and its answer. */
    record StoredResult(byte[] fingerprint, long storedAtMillis, int status, byte[] body) {
        static final int FINGERPRINT_SIZE = 32;

        byte[] bytes() {
            return ByteBuffer.allocate(FINGERPRINT_SIZE + Long.BYTES + Integer.BYTES + body.length)
                    .put(fingerprint)
                    .putLong(storedAtMillis)
                    .putInt(status)
                    .put(body)
                    .array();
        }

        /** The stored result, or null for a missing one; throws for bytes that are not one. */
        static StoredResult from(byte[] value) {
            if (value == null) {
                return null;
            }
            if (value.length < FINGERPRINT_SIZE + Long.BYTES + Integer.BYTES) {
                throw new IllegalStateException("a stored result has " + value.length + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(value);
            byte[] fingerprint = new byte[FINGERPRINT_SIZE];
            buffer.get(fingerprint);
            long storedAt = buffer.getLong();
            int status = buffer.getInt();
            byte[] body = new byte[buffer.remaining()];
            buffer.get(body);
            return new StoredResult(fingerprint, storedAt, status, body);
        }
    }

    private static byte[] withPrefix(String projectId, byte[] suffix) {
        byte[] project = projectId.getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(project, project.length + 1 + suffix.length);
        key[project.length] = SEPARATOR;
        System.arraycopy(suffix, 0, key, project.length + 1, suffix.length);
        return key;
    }

    private static int separatorIndex(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == SEPARATOR) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a pool key: no separator");
    }

    private static byte[] oneOf(byte[] value, int legacySize, int size, String what) {
        if (value.length != size && value.length != legacySize) {
            throw new IllegalStateException(what + " has " + value.length + " bytes, expected " + size);
        }
        return value;
    }
}
