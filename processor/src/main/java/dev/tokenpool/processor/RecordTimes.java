package dev.tokenpool.processor;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The time of a record tokenpool reads, whatever its producer wrote. Kafka Streams' default extractor throws on
 * a negative timestamp, which ends the stream thread, and the thread that replaces it reads the same record:
 * one record would stop every pool of the instance. The Java producer refuses negative timestamps, but other
 * clients can write any value, and the broker does not check -1. So a negative timestamp counts as unknown
 * and the record is read at wall-clock time; this extractor never throws and never makes Streams drop a record.
 *
 * <p>Streams' global thread (the project registry) does not use the extractor: it builds each record with the
 * consumer's timestamp, throws on a negative one, and cannot be replaced, so one such record on the projects topic
 * would end the processor, and again at every start (restoring the store replays it). The global consumer
 * therefore hands Streams its records {@link #withUsableTimestamps} ({@link IdlePolls}).
 *
 * <p>A command's registration time is its record's time ({@link #registrationTime}), except where that is more
 * than {@link #MAX_AHEAD} ahead of the processor's clock: a pool's registration stamps only increase, so one
 * token stamped in the far future would move every later registration of that pool there too.
 */
final class RecordTimes implements TimestampExtractor {
    static final Duration MAX_AHEAD = Duration.ofMinutes(1);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        return timestamp >= 0 ? timestamp : System.currentTimeMillis();
    }

    /** The records, each one with a negative timestamp replaced by a copy read at wall-clock time. */
    static <K, V> ConsumerRecords<K, V> withUsableTimestamps(ConsumerRecords<K, V> records) {
        boolean allUsable = true;
        for (ConsumerRecord<K, V> record : records) {
            allUsable &= record.timestamp() >= 0;
        }
        if (allUsable) {
            return records;
        }
        long now = System.currentTimeMillis();
        Map<TopicPartition, List<ConsumerRecord<K, V>>> usable = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            usable.put(
                    partition,
                    records.records(partition).stream()
                            .map(record -> record.timestamp() >= 0
                                    ? record
                                    : new ConsumerRecord<>(
                                            record.topic(),
                                            record.partition(),
                                            record.offset(),
                                            now,
                                            record.timestampType(),
                                            record.serializedKeySize(),
                                            record.serializedValueSize(),
                                            record.key(),
                                            record.value(),
                                            record.headers(),
                                            record.leaderEpoch()))
                            .toList());
        }
        return new ConsumerRecords<>(usable, records.nextOffsets());
    }

    /** When a command read at {@code nowMillis} registers its tokens: its record's time, or now when that is too far ahead. */
    static long registrationTime(long recordMillis, long nowMillis) {
        return recordMillis < 0 || recordMillis - nowMillis > MAX_AHEAD.toMillis() ? nowMillis : recordMillis;
    }
}
