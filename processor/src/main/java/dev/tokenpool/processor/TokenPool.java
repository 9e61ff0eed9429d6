package dev.tokenpool.processor;

import dev.tokenpool.processor.PoolSchema.OrderKey;
import dev.tokenpool.processor.PoolSchema.PoolMeta;
import dev.tokenpool.processor.PoolSchema.TokenEntry;
import dev.tokenpool.processor.PoolSchema.TokenKey;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.DeleteTokensResponse;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.ResponseBody;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One project's pool of token IDs, as one command sees it. Each token ID has a registration
 * sequence number; the order index maps sequence numbers back to token IDs, so taking the N oldest
 * or newest costs O(N).
 *
 * <p>Every method only stages its writes (see {@link StagedStore}): the caller flushes them once the
 * whole command has been worked out, so a command is applied entirely or not at all.
 */
final class TokenPool {
    private final String projectId;
    private final PoolStores.Staged stores;
    private final Bytes metaKey;
    private final PoolMeta meta;

    TokenPool(String projectId, PoolStores.Staged stores) {
        this.projectId = projectId;
        this.stores = stores;
        this.metaKey = PoolSchema.metaKey(projectId);
        this.meta = PoolMeta.from(stores.meta().get(metaKey));
    }

    /**
     * Registers the token IDs in request order. An ID already in the pool is overwritten and moves to
     * the newest end; it does not count towards the limit. If the new IDs would take the pool past
     * {@code poolLimit}, nothing is written.
     */
    ResponseBody add(List<String> tokenIds, long registeredAtMillis, long poolLimit) {
        Map<String, TokenEntry> entries = new HashMap<>();
        long newTokens = 0;
        for (String tokenId : tokenIds) {
            if (!entries.containsKey(tokenId)) {
                TokenEntry existing = TokenEntry.from(stores.tokens().get(tokenKey(tokenId)));
                entries.put(tokenId, existing);
                newTokens += existing == null ? 1 : 0;
            }
        }
        if (newTokens > 0 && meta.count() + newTokens > poolLimit) {
            return ErrorCode.TOKEN_LIMIT_EXCEEDED.response("The pool holds " + meta.count() + " tokens; " + newTokens
                    + " new tokens would exceed this project's limit of " + poolLimit
                    + ". Delete tokens first, then retry.");
        }
        long sequence = meta.nextSequence();
        for (String tokenId : tokenIds) {
            TokenEntry previous = entries.get(tokenId);
            if (previous != null) {
                stores.order().delete(new OrderKey(projectId, previous.sequence()).bytes());
            }
            TokenEntry entry = new TokenEntry(sequence++, registeredAtMillis);
            entries.put(tokenId, entry);
            stores.tokens().put(tokenKey(tokenId), entry.bytes());
            stores.order().put(new OrderKey(projectId, entry.sequence()).bytes(), PoolSchema.tokenIdValue(tokenId));
        }
        long count = meta.count() + newTokens;
        saveMeta(new PoolMeta(count, sequence));
        return AddTokensResponse.of(tokenIds.size(), count, List.of());
    }

    /** Deletes the named token IDs in request order; the ones not in the pool are reported as not found. */
    ResponseBody delete(List<String> tokenIds) {
        List<String> notFound = new ArrayList<>();
        int deleted = 0;
        for (String tokenId : tokenIds) {
            Bytes key = tokenKey(tokenId);
            TokenEntry entry = TokenEntry.from(stores.tokens().get(key));
            if (entry == null) {
                notFound.add(tokenId);
                continue;
            }
            stores.tokens().delete(key);
            stores.order().delete(new OrderKey(projectId, entry.sequence()).bytes());
            deleted++;
        }
        if (deleted > 0) {
            saveMeta(new PoolMeta(meta.count() - deleted, meta.nextSequence()));
        }
        return DeleteTokensResponse.of(tokenIds.size(), deleted, notFound, List.of());
    }

    /** Deletes up to {@code n} tokens from the oldest (asc) or newest (desc) end of the registration order. */
    ResponseBody deleteByOrder(int n, Order order) {
        List<KeyValue<Bytes, byte[]>> victims = new ArrayList<>((int) Math.min(n, meta.count()));
        try (KeyValueIterator<Bytes, byte[]> entries = stores.order().range(
                OrderKey.first(projectId), OrderKey.last(projectId), order == Order.DESC)) {
            while (victims.size() < n && entries.hasNext()) {
                victims.add(entries.next());
            }
        }
        for (KeyValue<Bytes, byte[]> victim : victims) {
            stores.order().delete(victim.key);
            stores.tokens().delete(tokenKey(PoolSchema.tokenId(victim.value)));
        }
        if (!victims.isEmpty()) {
            saveMeta(new PoolMeta(meta.count() - victims.size(), meta.nextSequence()));
        }
        return DeleteByOrderResponse.of(victims.size());
    }

    /** The token's details, or token_id_not_found. */
    ResponseBody find(String tokenId) {
        TokenEntry entry = TokenEntry.from(stores.tokens().get(tokenKey(tokenId)));
        if (entry == null) {
            return ErrorCode.TOKEN_ID_NOT_FOUND.response();
        }
        return new TokenDetails(tokenId, Timestamps.formatMillis(entry.registeredAtMillis()));
    }

    private Bytes tokenKey(String tokenId) {
        return new TokenKey(projectId, tokenId).bytes();
    }

    private void saveMeta(PoolMeta updated) {
        stores.meta().put(metaKey, updated.bytes());
    }
}
