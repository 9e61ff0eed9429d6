package dev.tokenpool.processor;

import dev.tokenpool.schemas.CommandPartitions;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Whether a command arrived in the partition that holds its project's pool ({@link CommandPartitions}), for a
 * commands topic of {@code count} partitions. A producer with another partitioner (any librdkafka client by
 * default) writes a project's commands elsewhere; run there, they would act on a second, separate pool of the
 * project. Such a command is forwarded to its home partition, in the transaction that reads it, and runs there.
 * Both the check and the forward use this one count, so a record is never sent on twice.
 *
 * @param count the commands topic's partitions, as the processor found it at start; 0: every partition is home
 *              (TopologyTestDriver's topics have one)
 */
record HomePartitions(int count) {
    static final HomePartitions ANY = new HomePartitions(0);
    /** Where a forwarded command was first written, for whoever reads the commands topic. */
    static final String FORWARDED_FROM = "tokenpool.forwarded-from";

    /** Whether a command with this record key belongs in {@code partition}; a key that is no project ID is answered where it is. */
    boolean isHome(String key, int partition) {
        return count == 0 || key == null || CommandPartitions.of(key, count) == partition;
    }

    StreamPartitioner<String, Object> partitioner() {
        return (topic, key, value, partitions) -> Optional.of(Set.of(CommandPartitions.of(key, count)));
    }

    /**
     * The command as it goes to its home partition: the same key, value and headers, where it came from, and its
     * time as its tokens would be registered at (so a forward changes no {@code updateTime}).
     */
    static Record<String, Object> forwarded(Record<String, byte[]> command, RecordMetadata source, long nowMillis) {
        Headers headers = new RecordHeaders(command.headers().toArray());
        headers.add(FORWARDED_FROM, FailedRecords.where(source).getBytes(StandardCharsets.UTF_8));
        return new Record<>(
                command.key(), command.value(), RecordTimes.registrationTime(command.timestamp(), nowMillis), headers);
    }
}
