package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How long a deleted token ID may still exist anywhere tokenpool keeps data
 * (TOKENPOOL_DELETED_DATA_RETENTION_MS, 24 h by default), as the settings of each kind of topic:
 * <ul>
 *   <li>changelog topics (compacted, {@link #compaction}): a segment holding a deleted token is compacted at the
 *       latest half the bound after the delete, and the tombstone that names it is dropped half the bound later;</li>
 *   <li>the commands, dead-letter and events topics ({@link #retention}): records are kept for the bound;</li>
 *   <li>reply topics, the gateways' and the command-line tool's ({@link #replies}): results are read within the
 *       request timeout, so they are kept an hour, or the bound when that is shorter;</li>
 *   <li>RocksDB: every SST file is compacted again within the bound (periodic compaction, the processor's
 *       RocksDbSettings), which drops deleted keys.</li>
 * </ul>
 * A topic's segment rolls by {@code segment.ms} at the latest, so no record waits in an open segment that
 * retention cannot delete. Kafka acts on these on its own schedule (the log cleaner's backoff, the retention
 * check interval), so the bound is approximate on the order of minutes.
 */
public final class DeletedDataBound {
    public static final Duration DEFAULT = Duration.ofHours(24);
    /** Results are only waited for up to the request timeout; an hour keeps a reply topic small. */
    static final Duration REPLY_RETENTION = Duration.ofHours(1);

    private DeletedDataBound() {}

    /** Settings of a compacted topic (a changelog) whose records hold token IDs. */
    public static Map<String, String> compaction(Duration bound) {
        String half = Long.toString(half(bound));
        return Map.of(
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                half,
                TopicConfig.DELETE_RETENTION_MS_CONFIG,
                half,
                TopicConfig.SEGMENT_MS_CONFIG,
                half);
    }

    /** Settings of a topic whose records hold token IDs and are deleted after the bound. */
    public static Map<String, String> retention(Duration bound) {
        return Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(bound.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG,
                Long.toString(half(bound)));
    }

    /** Settings of a reply topic: results carry token IDs (a list page up to 10,000). */
    public static Map<String, String> replies(Duration bound) {
        Duration retention = bound.compareTo(REPLY_RETENTION) < 0 ? bound : REPLY_RETENTION;
        return Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(retention.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG,
                Long.toString(half(retention)));
    }

    private static long half(Duration duration) {
        return Math.max(1, duration.toMillis() / 2);
    }
}
