package dev.tokenpool.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One command's view of a store: its reads see its own writes, and its writes reach the store only
 * when {@link #flush()} is called. A command is planned entirely against staged stores, so anything
 * that goes wrong while planning leaves the store untouched.
 */
final class StagedStore {
    private final ReadOnlyKeyValueStore<Bytes, byte[]> store;
    private final Consumer<List<KeyValue<Bytes, byte[]>>> writer;
    /** Staged writes in the order they were made; a null value is a delete. */
    private final Map<Bytes, byte[]> staged = new LinkedHashMap<>();

    StagedStore(KeyValueStore<Bytes, byte[]> store) {
        this(store, store::putAll);
    }

    private StagedStore(ReadOnlyKeyValueStore<Bytes, byte[]> store, Consumer<List<KeyValue<Bytes, byte[]>>> writer) {
        this.store = store;
        this.writer = writer;
    }

    /** A view for a read (a lookup, a list page, a count): it has nothing to write, and flushing it fails. */
    static StagedStore readOnly(ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        return new StagedStore(store, writes -> {
            throw new IllegalStateException("a read staged " + writes.size() + " writes");
        });
    }

    byte[] get(Bytes key) {
        return staged.containsKey(key) ? staged.get(key) : store.get(key);
    }

    void put(Bytes key, byte[] value) {
        staged.put(key, value);
    }

    void delete(Bytes key) {
        staged.put(key, null);
    }

    /** The committed entries between two keys, inclusive: staged writes are not seen here. */
    KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean reverse) {
        if (!staged.isEmpty()) {
            throw new IllegalStateException("range read after staged writes would miss them");
        }
        return reverse ? store.reverseRange(from, to) : store.range(from, to);
    }

    /**
     * Writes every staged change to the store, in the order it was made, as one batch: one RocksDB
     * write for the whole command, and a delete is a null put (a store's delete() reads the old value
     * first, which a command that already read it does not need).
     */
    void flush() {
        if (staged.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>(staged.size());
        staged.forEach((key, value) -> writes.add(KeyValue.pair(key, value)));
        writer.accept(writes);
        staged.clear();
    }
}
