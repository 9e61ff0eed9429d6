package dev.tokenpool.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * Which partition of the commands topic holds a project's pool: the one Kafka's Java producer chooses for the
 * project ID as key (murmur2 of its UTF-8 bytes, modulo the partition count). Producers in other languages may
 * choose another (librdkafka's default, {@code consistent_random}, hashes with CRC32): the processor forwards such
 * a command to this partition before it runs it, so every command of a project meets its one pool. Setting
 * librdkafka's {@code partitioner=murmur2_random} spares that hop.
 */
public final class CommandPartitions {
    private CommandPartitions() {}

    public static int of(String projectId, int partitions) {
        return BuiltInPartitioner.partitionForKey(projectId.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
