package dev.tokenpool.processor;

import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.DeleteTokensResponse;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.ResponseBody;
import dev.tokenpool.schemas.TokenDetails;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One project's pool of token IDs. Each token ID has a registration sequence number; the order
 * index maps sequence numbers back to token IDs, so taking the N oldest or newest costs O(N).
 */
final class TokenPool {
    private final String projectId;
    private final PoolStores stores;
    private final Bytes metaKey;
    private long count;
    private long nextSequence;

    TokenPool(String projectId, PoolStores stores) {
        this.projectId = projectId;
        this.stores = stores;
        this.metaKey = PoolKeys.project(projectId);
        byte[] meta = stores.pools().get(metaKey);
        if (meta != null) {
            ByteBuffer buffer = ByteBuffer.wrap(meta);
            this.count = buffer.getLong();
            this.nextSequence = buffer.getLong();
        }
    }

    long count() {
        return count;
    }

    /**
     * Registers the token IDs in request order. An ID already in the pool is overwritten and moves to
     * the newest end. If the new IDs would take the pool past {@code poolLimit}, nothing is written.
     */
    ResponseBody add(List<String> tokenIds, long registeredAtMillis, long poolLimit) {
        Set<String> seen = new HashSet<>();
        long newTokens = tokenIds.stream()
                .filter(seen::add)
                .filter(id -> stores.tokens().get(PoolKeys.token(projectId, id)) == null)
                .count();
        if (count + newTokens > poolLimit) {
            return ErrorCode.TOKEN_LIMIT_EXCEEDED.response("The pool holds " + count + " tokens; " + newTokens
                    + " new tokens would exceed this project's limit of " + poolLimit
                    + ". Delete tokens first, then retry.");
        }
        for (String tokenId : tokenIds) {
            Bytes key = PoolKeys.token(projectId, tokenId);
            TokenEntry existing = TokenEntry.read(stores.tokens().get(key));
            if (existing != null) {
                stores.order().delete(PoolKeys.order(projectId, existing.sequence()));
            } else {
                count++;
            }
            long sequence = nextSequence++;
            stores.tokens().put(key, new TokenEntry(sequence, registeredAtMillis).bytes());
            stores.order().put(PoolKeys.order(projectId, sequence), tokenId.getBytes(StandardCharsets.UTF_8));
        }
        saveMeta();
        return AddTokensResponse.of(tokenIds.size(), count, List.of());
    }

    /** Deletes the named token IDs in request order; the ones not in the pool are reported as not found. */
    ResponseBody delete(List<String> tokenIds) {
        List<String> notFound = new ArrayList<>();
        int deleted = 0;
        for (String tokenId : tokenIds) {
            if (remove(tokenId)) {
                deleted++;
            } else {
                notFound.add(tokenId);
            }
        }
        if (deleted > 0) {
            saveMeta();
        }
        return DeleteTokensResponse.of(tokenIds.size(), deleted, notFound, List.of());
    }

    /** Deletes up to {@code n} tokens from the oldest (asc) or newest (desc) end of the registration order. */
    ResponseBody deleteByOrder(int n, Order order) {
        List<KeyValue<Bytes, byte[]>> victims = new ArrayList<>(Math.min(n, (int) Math.min(count, Integer.MAX_VALUE)));
        Bytes from = PoolKeys.firstOrder(projectId);
        Bytes to = PoolKeys.lastOrder(projectId);
        try (KeyValueIterator<Bytes, byte[]> entries = order == Order.ASC
                ? stores.order().range(from, to)
                : stores.order().reverseRange(from, to)) {
            while (victims.size() < n && entries.hasNext()) {
                victims.add(entries.next());
            }
        }
        for (KeyValue<Bytes, byte[]> victim : victims) {
            stores.order().delete(victim.key);
            stores.tokens().delete(PoolKeys.token(projectId, new String(victim.value, StandardCharsets.UTF_8)));
        }
        if (!victims.isEmpty()) {
            count -= victims.size();
            saveMeta();
        }
        return DeleteByOrderResponse.of(victims.size());
    }

    /** The token's details, or token_id_not_found. */
    ResponseBody find(String tokenId) {
        TokenEntry entry = TokenEntry.read(stores.tokens().get(PoolKeys.token(projectId, tokenId)));
        if (entry == null) {
            return ErrorCode.TOKEN_ID_NOT_FOUND.response();
        }
        return new TokenDetails(tokenId, Instant.ofEpochMilli(entry.registeredAtMillis()).toString());
    }

    private boolean remove(String tokenId) {
        Bytes key = PoolKeys.token(projectId, tokenId);
        TokenEntry entry = TokenEntry.read(stores.tokens().get(key));
        if (entry == null) {
            return false;
        }
        stores.tokens().delete(key);
        stores.order().delete(PoolKeys.order(projectId, entry.sequence()));
        count--;
        return true;
    }

    private void saveMeta() {
        stores.pools().put(metaKey, ByteBuffer.allocate(2 * Long.BYTES).putLong(count).putLong(nextSequence).array());
    }

    /** A token's value in the token store: its registration sequence and time. */
    record TokenEntry(long sequence, long registeredAtMillis) {
        static TokenEntry read(byte[] value) {
            if (value == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(value);
            return new TokenEntry(buffer.getLong(), buffer.getLong());
        }

        byte[] bytes() {
            return ByteBuffer.allocate(2 * Long.BYTES).putLong(sequence).putLong(registeredAtMillis).array();
        }
    }
}
