package dev.tokenpool.processor;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Settings;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB options of every pool store, as Kafka's memory-management guide recommends: one block
 * cache and one write buffer manager shared by all stores of the process, so RocksDB's memory is
 * bounded by TOKENPOOL_ROCKSDB_MEMORY_MB whatever the number of tasks; index and filter blocks live
 * in that cache; bloom filters make the point lookups of a command (is this token in the pool?)
 * cheap. Every SST file is also compacted again within the deleted-data bound, which drops deleted keys.
 */
public final class RocksDbSettings implements RocksDBConfigSetter {
    /** Streams settings that carry the memory bound and the deleted-data bound to this class. */
    static final String MEMORY_CONFIG = "tokenpool.rocksdb.memory.bytes";

    static final String DELETED_DATA_BOUND_CONFIG = "tokenpool.deleted.data.retention.ms";
    private static final double INDEX_FILTER_SHARE = 0.2;
    private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void share(long memoryBytes) {
        if (cache == null) {
            cache = new LRUCache(memoryBytes, -1, false, INDEX_FILTER_SHARE);
            // Memtables count against the same cache: a quarter of the bound at most.
            writeBuffers = new WriteBufferManager(memoryBytes / 4, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        share(longSetting(configs, MEMORY_CONFIG, Settings.ROCKSDB_MEMORY_MB.from(new Env(Map.of())) << 20));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setFilterPolicy(new BloomFilter(10, false));
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        long bound = longSetting(configs, DELETED_DATA_BOUND_CONFIG, DeletedDataBound.DEFAULT.toMillis());
        options.setPeriodicCompactionSeconds(Math.max(1, bound / 1000));
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store of the process: they stay open.
    }

    private static long longSetting(Map<String, Object> configs, String name, long fallback) {
        Object value = configs.get(name);
        return value == null ? fallback : Long.parseLong(value.toString());
    }
}
