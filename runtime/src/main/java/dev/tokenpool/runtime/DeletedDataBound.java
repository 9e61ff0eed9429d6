package dev.tokenpool.processor;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

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
    /** Streams setting that carries the bound to {@link RocksDbSettings}. */
    static final String CONFIG = "tokenpool.deleted.data.retention.ms";
    static final Duration DEFAULT = Duration.ofHours(24);

    private DeletedDataBound() {
    }

    /** Adds the changelog topic settings of the bound to Streams properties (RocksDbSettings reads it too). */
    static void apply(Duration bound, Properties streams) {
        long half = Math.max(1, bound.toMillis() / 2);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG), half);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.DELETE_RETENTION_MS_CONFIG), half);
        streams.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), half);
        streams.put(CONFIG, bound.toMillis());
    }

    /** Settings of a topic whose records hold token IDs and are deleted after the bound. */
    static Map<String, String> retention(Duration bound) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(bound.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(1, bound.toMillis() / 2)));
    }

}
