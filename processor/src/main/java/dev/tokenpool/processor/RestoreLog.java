package dev.tokenpool.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a state store is rebuilt from its changelog, how much and how fast (a store that is up to
 * date, as after a clean stop, says nothing), and knows whether a restore is under way.
 */
final class RestoreLog implements StateRestoreListener {
    private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);
    /** Restorations under way, by changelog partition. */
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        startedNanos.put(partition, System.nanoTime());
        long records = Math.max(0, endingOffset - startingOffset);
        if (records > 0) {
            log.info(
                    "restoring {} from {}: offsets {} to {} ({} records)",
                    store,
                    partition,
                    startingOffset,
                    endingOffset,
                    records);
        }
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

    /** Whether a store is being rebuilt from its changelog right now. */
    boolean restoring() {
        return !startedNanos.isEmpty();
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        startedNanos.remove(partition);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long started = startedNanos.remove(partition);
        long millis = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        if (totalRestored > 0) {
            log.info("restored {} from {}: {} records in {} ms", store, partition, totalRestored, millis);
        }
    }
}
