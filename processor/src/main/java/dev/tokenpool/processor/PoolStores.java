package dev.tokenpool.processor;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The persistent, changelogged RocksDB stores behind every pool (layout in {@link PoolSchema}):
 * <ul>
 *   <li>{@value #TOKENS_STORE}: one entry per (project, token ID) → registration sequence and time;</li>
 *   <li>{@value #ORDER_STORE}: (project, registration sequence) → token ID, for oldest/newest deletion;</li>
 *   <li>{@value #META_STORE}: project → token count and next sequence, so the count is O(1);</li>
 *   <li>{@value #IDEMPOTENCY_STORE}: (project, idempotency key) → the stored result ({@link StoredResults}).</li>
 * </ul>
 */
record PoolStores(
        KeyValueStore<Bytes, byte[]> tokens,
        KeyValueStore<Bytes, byte[]> order,
        KeyValueStore<Bytes, byte[]> meta,
        KeyValueStore<Bytes, byte[]> idempotency) {
    static final String TOKENS_STORE = "pool-tokens";
    static final String ORDER_STORE = "pool-order";
    static final String META_STORE = "pool-meta";
    static final String IDEMPOTENCY_STORE = "pool-idempotency";
    /** The stores local reads wait on: those a read looks at. */
    static final List<String> NAMES = List.of(TOKENS_STORE, ORDER_STORE, META_STORE);
    /** Every pool store. */
    static final List<String> ALL = List.of(TOKENS_STORE, ORDER_STORE, META_STORE, IDEMPOTENCY_STORE);

    /** The stores, those of reads reporting their commits to {@code commits} (which local reads wait on). */
    static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders(CommittedCommands commits) {
        List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders = new java.util.ArrayList<>(NAMES.stream()
                .map(name -> Stores.keyValueStoreBuilder(
                        CommitReportingStore.supplier(Stores.persistentKeyValueStore(name), commits),
                        Serdes.Bytes(),
                        Serdes.ByteArray()))
                .toList());
        builders.add(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IDEMPOTENCY_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        return builders;
    }

    static PoolStores from(ProcessorContext<?, ?> context) {
        return new PoolStores(
                context.getStateStore(TOKENS_STORE),
                context.getStateStore(ORDER_STORE),
                context.getStateStore(META_STORE),
                context.getStateStore(IDEMPOTENCY_STORE));
    }

    /** A fresh staged view of the three stores of the pools for one command. */
    Staged stage() {
        return new Staged(new StagedStore(tokens), new StagedStore(order), new StagedStore(meta));
    }

    /** The pool stores as one command sees them; {@link #flush()} applies all of its writes. */
    record Staged(StagedStore tokens, StagedStore order, StagedStore meta) {
        void flush() {
            tokens.flush();
            order.flush();
            meta.flush();
        }
    }
}
