package dev.tokenpool.processor;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The three persistent, changelogged RocksDB stores behind every pool:
 * <ul>
 *   <li>{@value #TOKENS}: one entry per (project, token ID) → registration sequence and time;</li>
 *   <li>{@value #ORDER}: (project, registration sequence) → token ID, for oldest/newest deletion;</li>
 *   <li>{@value #POOLS}: project → token count and next sequence, so the count is O(1).</li>
 * </ul>
 */
record PoolStores(KeyValueStore<Bytes, byte[]> tokens, KeyValueStore<Bytes, byte[]> order,
                  KeyValueStore<Bytes, byte[]> pools) {
    static final String TOKENS = "pool-tokens";
    static final String ORDER = "pool-order";
    static final String POOLS = "pool-meta";

    static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders() {
        return List.of(builder(TOKENS), builder(ORDER), builder(POOLS));
    }

    static PoolStores from(ProcessorContext<?, ?> context) {
        return new PoolStores(context.getStateStore(TOKENS), context.getStateStore(ORDER), context.getStateStore(POOLS));
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
    }
}
