package dev.tokenpool.processor;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Cache;
import org.rocksdb.Options;

/**
 * How long a deleted token ID may still exist anywhere tokenpool keeps data
 * (TOKENPOOL_DELETED_DATA_RETENTION_MS, 24 h by default):
 * <ul>
 *   <li>changelog topics (compacted): a segment holding a deleted token is compacted at the latest half
 *       the bound after the delete, and the tombstone that names it is dropped half the bound later;</li>
 *   <li>the commands, dead-letter and events topics tokenpool creates: records are kept for the bound;</li>
 *   <li>RocksDB: every SST file is compacted again within the bound (periodic compaction), which drops
 *       deleted keys.</li>
 * </ul>
 * Kafka acts on these on its own schedule (the log cleaner's backoff, the retention check interval,
 * and a segment rolls only when the partition gets a new record), so the bound is approximate on
 * the order of minutes.
 */
final class DeletedDataBound {
    /** Streams setting that carries the bound to {@link RocksDbCompaction}. */
    static final String CONFIG = "tokenpool.deleted.data.retention.ms";
    static final Duration DEFAULT = Duration.ofHours(24);

    private DeletedDataBound() {
    }

    /** Adds the changelog topic settings and the RocksDB compaction of the bound to Streams properties. */
    static void apply(Duration bound, Properties streams) {
        long half = Math.max(1, bound.toMillis() / 2);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG), half);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.DELETE_RETENTION_MS_CONFIG), half);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), half);
        streams.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbCompaction.class);
        streams.put(CONFIG, bound.toMillis());
    }

    /** Settings of a topic whose records hold token IDs and are deleted after the bound. */
    static Map<String, String> retention(Duration bound) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(bound.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(1, bound.toMillis() / 2)));
    }

    /** Every SST file of the pool stores is compacted again within the bound. */
    public static final class RocksDbCompaction implements RocksDBConfigSetter {
        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            Object bound = configs.get(CONFIG);
            long millis = bound == null ? DEFAULT.toMillis() : Long.parseLong(bound.toString());
            options.setPeriodicCompactionSeconds(Math.max(1, millis / 1000));
        }

        @Override
        public void close(String storeName, Options options) {
        }
    }
}
