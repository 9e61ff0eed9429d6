package dev.tokenpool.processor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The records whose processing threw, so that none can end a stream thread twice. A failure that is not
 * Kafka's ends the thread, its transaction aborts (so nothing of the record was applied), and the thread that
 * replaces it reads the same record again: {@link PoolCommandProcessor} then dead-letters it with the failure
 * instead of running it again, and goes on with the next. An unknown poison record so costs one record and one
 * thread replacement, never a partition.
 *
 * <p>Why not Kafka Streams' processing exception handler (KIP-1033/1034): it is called after a partly run
 * {@code process()}, and resuming there would commit whatever the record had already written; errors such as a
 * stack overflow do not reach it at all. Failures of Kafka itself ({@link KafkaException}, which includes Streams'
 * own: a store or a changelog that cannot be written, a task that moved) are not the record's fault: they are
 * not remembered, and the replaced thread tries the record again.
 *
 * <p>Shared by every stream thread of one instance (a replacement thread is a new processor). Bounded: the
 * oldest failures are forgotten first, and a failure is forgotten once its record is dead-lettered.
 */
final class FailedRecords {
    static final int REMEMBERED = 1_000;

    private final Map<String, String> failures = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Whether {@code failure} is the record's own fault, so that its record is not processed again. */
    static boolean isTheRecords(Throwable failure) {
        return !(failure instanceof KafkaException);
    }

    synchronized void failed(RecordMetadata record, Throwable failure) {
        failures.put(where(record), failure.toString());
    }

    /** The failure of an earlier try of this record, forgotten as it is handed out; empty when there was none. */
    synchronized Optional<String> takeFailure(RecordMetadata record) {
        return Optional.ofNullable(failures.remove(where(record)));
    }

    static String where(RecordMetadata record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
