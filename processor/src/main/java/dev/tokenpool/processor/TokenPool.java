package dev.tokenpool.processor;

import dev.tokenpool.processor.PoolSchema.OrderKey;
import dev.tokenpool.processor.PoolSchema.PoolMeta;
import dev.tokenpool.processor.PoolSchema.TokenEntry;
import dev.tokenpool.processor.PoolSchema.TokenKey;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.DeleteTokensResponse;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PageKey;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.ResponseBody;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenCount;
import dev.tokenpool.schemas.TokenDetails;
import dev.tokenpool.schemas.TokenEvent;
import dev.tokenpool.schemas.TokenExpiredEvent;
import dev.tokenpool.schemas.TokenList;
import dev.tokenpool.schemas.TokenReuseAttemptedEvent;
import dev.tokenpool.schemas.VolumeDeletion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One project's pool of token IDs, as one command (or one round of a project's rules) sees it. Each
 * token ID has a registration stamp (see {@link PoolSchema}); the order index maps stamps back to
 * token IDs, so taking the N oldest or newest, a page of the list or the tokens due to expire costs
 * O(N), never O(pool).
 *
 * <p>Every method only stages its writes (see {@link StagedStore}): the caller flushes them once the
 * whole command was worked out, then sends the result and the {@link #events()} in the same transaction.
 */
final class TokenPool {
    private final ProjectRecord project;
    private final String projectId;
    private final PoolStores.Staged stores;
    private final Bytes metaKey;
    private final long nowMillis;
    private PoolMeta meta;
    private final List<TokenEvent> events = new ArrayList<>();

    /** The pool of {@code project} at wall-clock time {@code nowMillis} (which decides what has expired). */
    TokenPool(ProjectRecord project, PoolStores.Staged stores, long nowMillis) {
        this.project = project;
        this.projectId = project.projectId();
        this.stores = stores;
        this.metaKey = PoolSchema.metaKey(projectId);
        this.nowMillis = nowMillis;
        this.meta = PoolMeta.from(stores.meta().get(metaKey));
    }

    /**
     * Counts one command against the project's daily quota, which renews at 00:00 UTC; the error to answer
     * with, counting nothing, when that day's quota is used up.
     */
    Optional<ErrorResponse> countAgainstDailyQuota() {
        OptionalLong quota = project.dailyQuota();
        if (quota.isEmpty()) {
            return Optional.empty();
        }
        long day = RateLimit.day(nowMillis);
        long used = meta.quotaDay() == day ? meta.quotaUsed() : 0;
        if (used >= quota.getAsLong()) {
            return Optional.of(ErrorCode.RATE_LIMIT_EXCEEDED.response("This project's daily quota of "
                    + quota.getAsLong() + " requests is used up; it renews at 00:00 UTC."));
        }
        saveMeta(meta.withQuota(day, used + 1));
        return Optional.empty();
    }

    /** The token_expired events of what was worked out, to send with the writes. */
    List<TokenEvent> events() {
        return events;
    }

    long count() {
        return meta.count();
    }

    /**
     * Registers the token IDs in request order. An ID already in the pool is overwritten: it moves to
     * the newest end, its time is renewed and its uses start again; it does not count towards the
     * limit. If the new IDs would take the pool past the project's limit, nothing is written.
     */
    ResponseBody add(List<String> tokenIds, long registeredAtMillis) {
        Map<String, TokenEntry> entries = new HashMap<>();
        long newTokens = 0;
        for (String tokenId : tokenIds) {
            if (!entries.containsKey(tokenId)) {
                TokenEntry existing = TokenEntry.from(stores.tokens().get(tokenKey(tokenId)));
                entries.put(tokenId, existing);
                newTokens += existing == null ? 1 : 0;
            }
        }
        long limit = project.poolLimit();
        if (newTokens > 0 && meta.count() + newTokens > limit) {
            return ErrorCode.TOKEN_LIMIT_EXCEEDED.response("The pool holds " + meta.count() + " tokens; " + newTokens
                    + " new tokens would exceed this project's limit of " + limit
                    + ". Delete tokens first, then retry.");
        }
        long stamp = Math.max(Math.multiplyExact(registeredAtMillis, 1000L), meta.nextSequence());
        for (String tokenId : tokenIds) {
            TokenEntry previous = entries.get(tokenId);
            if (previous != null) {
                stores.order().delete(orderKey(previous.sequence()));
            }
            TokenEntry entry = new TokenEntry(stamp, stamp / 1000, 0);
            stamp++;
            entries.put(tokenId, entry);
            stores.tokens().put(tokenKey(tokenId), entry.bytes());
            stores.order().put(orderKey(entry.sequence()), PoolSchema.tokenIdValue(tokenId));
        }
        saveMeta(meta.withCountAndNext(meta.count() + newTokens, stamp));
        return AddTokensResponse.of(tokenIds.size(), meta.count(), List.of());
    }

    /** Deletes the named token IDs in request order; the ones not in the pool are reported as not found. */
    ResponseBody delete(List<String> tokenIds) {
        List<String> notFound = new ArrayList<>();
        int deleted = 0;
        for (String tokenId : tokenIds) {
            TokenEntry entry = entry(tokenId);
            if (entry == null) {
                notFound.add(tokenId);
                continue;
            }
            remove(tokenId, entry.sequence());
            deleted++;
        }
        if (deleted > 0) {
            saveMeta(meta.withCount(meta.count() - deleted));
        }
        return DeleteTokensResponse.of(tokenIds.size(), deleted, notFound, List.of());
    }

    /** Deletes up to {@code n} tokens from the oldest (asc) or newest (desc) end of the registration order. */
    ResponseBody deleteByOrder(int n, Order order) {
        List<KeyValue<Bytes, byte[]>> victims = new ArrayList<>((int) Math.min(n, meta.count()));
        try (KeyValueIterator<Bytes, byte[]> entries =
                stores.order().range(oldestEnd(), OrderKey.last(projectId), order == Order.DESC)) {
            while (victims.size() < n && entries.hasNext()) {
                victims.add(entries.next());
            }
        }
        for (KeyValue<Bytes, byte[]> victim : victims) {
            stores.order().delete(victim.key);
            stores.tokens().delete(tokenKey(PoolSchema.tokenId(victim.value)));
        }
        if (!victims.isEmpty()) {
            PoolMeta updated = meta.withCount(meta.count() - victims.size());
            if (order == Order.ASC) {
                updated = updated.withLiveFrom(
                        OrderKey.from(victims.getLast().key).sequence() + 1);
            }
            saveMeta(updated);
        }
        return DeleteByOrderResponse.of(victims.size());
    }

    /** The token's details, or token_id_not_found. */
    ResponseBody find(String tokenId) {
        TokenEntry entry = entry(tokenId);
        return entry == null ? ErrorCode.TOKEN_ID_NOT_FOUND.response() : details(tokenId, entry, expired(entry));
    }

    /**
     * One use of the token by the service that consumes it. A token that has expired is refused
     * (token_expired, with a token_reuse_attempted event); otherwise the use is counted, and the use that reaches maxUses expires it (with
     * its event), deleting it when the project deletes expired tokens. A token found expired by time
     * that the sweep has not deleted yet is deleted now.
     */
    ResponseBody use(String tokenId) {
        TokenEntry entry = entry(tokenId);
        if (entry == null) {
            return ErrorCode.TOKEN_ID_NOT_FOUND.response();
        }
        Expiration expiration = project.expiration();
        if (expired(entry)) {
            boolean usedUp = expiration.usedUp(entry.uses());
            if (project.deletesExpired()) {
                if (!usedUp) {
                    events.add(
                            TokenExpiredEvent.byTime(tokenId, expiration.expiresAtMillis(entry.registeredAtMillis())));
                }
                remove(tokenId, entry.sequence());
                saveMeta(meta.withCount(meta.count() - 1));
            }
            events.add(TokenReuseAttemptedEvent.of(tokenId, usedUp, nowMillis));
            return ErrorCode.TOKEN_EXPIRED.response("Token '" + tokenId + "' has expired.");
        }
        TokenEntry used = entry.used();
        boolean expiresNow = expiration != null && expiration.usedUp(used.uses());
        if (expiresNow) {
            events.add(TokenExpiredEvent.byCount(tokenId, nowMillis));
        }
        if (expiresNow && project.deletesExpired()) {
            remove(tokenId, entry.sequence());
            saveMeta(meta.withCount(meta.count() - 1));
        } else {
            stores.tokens().put(tokenKey(tokenId), used.bytes());
        }
        return details(tokenId, used, expiresNow);
    }

    /** The page of at most {@link TokenList#MAX_PAGE} tokens that starts at {@code from} (null: the oldest). */
    ResponseBody list(PageKey from) {
        List<TokenList.Entry> page = new ArrayList<>();
        PageKey next = null;
        Bytes start = from == null ? oldestEnd() : orderKey(from.stamp());
        try (KeyValueIterator<Bytes, byte[]> entries = stores.order().range(start, OrderKey.last(projectId), false)) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> indexed = entries.next();
                String tokenId = PoolSchema.tokenId(indexed.value);
                if (page.size() == TokenList.MAX_PAGE) {
                    next = new PageKey(tokenId, OrderKey.from(indexed.key).sequence());
                    break;
                }
                TokenEntry entry = entry(tokenId);
                if (entry != null) {
                    page.add(new TokenList.Entry(
                            tokenId, Timestamps.formatMillis(entry.registeredAtMillis()), expired(entry)));
                }
            }
        }
        return TokenList.of(meta.count(), page, next);
    }

    ResponseBody countTokens() {
        return TokenCount.of(meta.count());
    }

    /**
     * One round of time-based expiry, at most {@code budget} tokens: from the oldest end, every token
     * whose TTL has run out gets its event and, when the project deletes expired tokens, leaves the pool.
     * A pool that keeps them remembers how far events were sent. Returns how many tokens it handled.
     */
    int expireByTime(int budget) {
        Expiration expiration = project.expiration();
        if (expiration == null || expiration.ttlSeconds() == null || budget <= 0) {
            return 0;
        }
        boolean deleting = project.deletesExpired();
        long from = Math.max(meta.liveFrom(), deleting ? 0 : meta.expiredBelow());
        List<KeyValue<String, TokenEntry>> due = new ArrayList<>();
        long lastSequence = -1;
        try (KeyValueIterator<Bytes, byte[]> entries =
                stores.order().range(orderKey(from), OrderKey.last(projectId), false)) {
            while (due.size() < budget && entries.hasNext()) {
                KeyValue<Bytes, byte[]> indexed = entries.next();
                String tokenId = PoolSchema.tokenId(indexed.value);
                TokenEntry entry = entry(tokenId);
                if (entry == null) {
                    continue;
                }
                if (nowMillis < expiration.expiresAtMillis(entry.registeredAtMillis())) {
                    break; // registration times never decrease along the index: the rest expire later
                }
                due.add(KeyValue.pair(tokenId, entry));
                lastSequence = entry.sequence();
            }
        }
        for (KeyValue<String, TokenEntry> token : due) {
            if (!expiration.usedUp(token.value.uses())) { // a used-up token had its event at its last use
                events.add(TokenExpiredEvent.byTime(
                        token.key, expiration.expiresAtMillis(token.value.registeredAtMillis())));
            }
            if (deleting) {
                remove(token.key, token.value.sequence());
            }
        }
        if (deleting && !due.isEmpty()) {
            saveMeta(meta.withCount(meta.count() - due.size()).withLiveFrom(lastSequence + 1));
        } else if (!deleting && lastSequence >= 0) {
            saveMeta(meta.withExpiredBelow(lastSequence + 1));
        }
        return due.size();
    }

    /** Starts a volume deletion when the pool is past the project's threshold; returns the tokens it will delete. */
    long startVolumeDeletion() {
        if (project.volumeDeletion() == null || meta.volumeDeletionPending() > 0) {
            return 0;
        }
        long toDelete = project.volumeDeletion().tokensToDelete(meta.count(), project.poolLimit());
        if (toDelete > 0) {
            saveMeta(meta.withVolumeDeletion(toDelete, meta.count(), 0));
        }
        return toDelete;
    }

    /**
     * Deletes up to {@code budget} tokens of a volume deletion under way, from the end the project's setting
     * names now; returns how many it deleted. The setting is read again every round: a deletion stops when the
     * setting was removed, and shrinks to what the current ratio gives of the count it began at when the ratio
     * was lowered (a deletion begun before the start count was kept goes on to what it had left, unless removed).
     */
    int continueVolumeDeletion(int budget) {
        VolumeDeletion setting = project.volumeDeletion();
        long left = setting == null
                ? 0
                : meta.volumeDeletionFrom() > 0
                        ? setting.target(meta.volumeDeletionFrom()) - meta.volumeDeleted()
                        : meta.volumeDeletionPending();
        if (left <= 0 || budget <= 0) {
            saveMeta(meta.withVolumeDeletion(left, meta.volumeDeletionFrom(), meta.volumeDeleted()));
            return 0;
        }
        int deleted = ((DeleteByOrderResponse) deleteByOrder((int) Math.min(left, budget), setting.order()))
                .summary()
                .deleted();
        saveMeta(meta.withVolumeDeletion(
                deleted == 0 ? 0 : left - deleted, meta.volumeDeletionFrom(), meta.volumeDeleted() + deleted));
        return deleted;
    }

    /** The first key of the pool's order index that can still hold a live token. */
    private Bytes oldestEnd() {
        return orderKey(meta.liveFrom());
    }

    private boolean expired(TokenEntry entry) {
        Expiration expiration = project.expiration();
        return expiration != null && expiration.expired(entry.registeredAtMillis(), entry.uses(), nowMillis);
    }

    private TokenDetails details(String tokenId, TokenEntry entry, boolean expired) {
        Expiration expiration = project.expiration();
        String expiresAt = expiration == null || expiration.ttlSeconds() == null
                ? null
                : Timestamps.formatMillis(expiration.expiresAtMillis(entry.registeredAtMillis()));
        return TokenDetails.of(
                tokenId, Timestamps.formatMillis(entry.registeredAtMillis()), expired, entry.uses(), expiresAt);
    }

    private TokenEntry entry(String tokenId) {
        return TokenEntry.from(stores.tokens().get(tokenKey(tokenId)));
    }

    private void remove(String tokenId, long sequence) {
        stores.tokens().delete(tokenKey(tokenId));
        stores.order().delete(orderKey(sequence));
    }

    private Bytes tokenKey(String tokenId) {
        return new TokenKey(projectId, tokenId).bytes();
    }

    private Bytes orderKey(long sequence) {
        return new OrderKey(projectId, sequence).bytes();
    }

    private void saveMeta(PoolMeta updated) {
        meta = updated;
        stores.meta().put(metaKey, updated.bytes());
    }
}
