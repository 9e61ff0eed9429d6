package dev.tokenpool.processor;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.HeldFetches;
import dev.tokenpool.runtime.InternalKey;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.PoolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the processor runs, from environment variables.
 *
 * <p>Only {@code exactly_once_v2} is accepted: a pool command is not idempotent (a delete of the N
 * oldest tokens replayed after a crash would delete N more), so at-least-once processing would break
 * pools silently. Under exactly-once a command's store writes and its result commit together or not
 * at all; after a crash the transactional state stores come back as of their last flush to disk and
 * Kafka Streams replays the changelog tail since.
 *
 * <p>With {@code TOKENPOOL_INSTANCE_ID} set (stable and unique per instance), the processor is a
 * static member of its consumer group: after a crash it gets its partitions back as soon as it
 * rejoins; without it, the group waits {@code TOKENPOOL_SESSION_TIMEOUT_MS} before reassigning the
 * dead instance's partitions. With several instances, {@code TOKENPOOL_STANDBY_REPLICAS} keeps warm
 * copies of each task's stores on other instances, so the one that takes over a dead instance's
 * partitions has little or nothing to restore.
 *
 * <p>Latency trade-off: a result becomes visible to the gateway only when the transaction commits,
 * so {@code commitIntervalMs} bounds the reply latency. Short commits (10 ms) give fast round trips
 * at the cost of more transactions per second; Kafka's EOS default (100 ms) gives ~130 ms.
 */
public record ProcessorSettings(
        KafkaConnection kafka,
        String applicationId,
        String instanceId,
        Path stateDir,
        long commitIntervalMs,
        long pollMs,
        long sessionTimeoutMs,
        long transactionTimeoutMs,
        String groupProtocol,
        Optional<InternalKey> internalKey,
        String advertisedHost,
        int commandPartitions,
        short replicationFactor,
        String httpHost,
        int httpPort,
        TopologySettings topology,
        Duration deletedDataRetention,
        long rocksDbMemoryBytes,
        int standbyReplicas) {
    public static ProcessorSettings from(Env env) {
        Settings.PROCESSING_GUARANTEE.from(env);
        return new ProcessorSettings(
                KafkaConnection.from(env),
                Settings.APPLICATION_ID.from(env),
                Settings.INSTANCE_ID.from(env),
                Path.of(Settings.STATE_DIR.from(env)),
                Settings.COMMIT_INTERVAL_MS.from(env),
                Settings.POLL_MS.from(env),
                Settings.SESSION_TIMEOUT_MS.from(env),
                Settings.TRANSACTION_TIMEOUT_MS.from(env),
                Settings.GROUP_PROTOCOL.from(env),
                InternalKey.from(env),
                advertisedHost(env),
                Settings.COMMAND_PARTITIONS.from(env),
                Settings.REPLICATION_FACTOR.from(env).shortValue(),
                Settings.PROCESSOR_HTTP_HOST.from(env),
                Settings.PROCESSOR_HTTP_PORT.from(env),
                TopologySettings.from(env),
                Settings.DELETED_DATA_RETENTION.from(env),
                Settings.ROCKSDB_MEMORY_MB.from(env) << 20,
                Settings.STANDBY_REPLICAS.from(env));
    }

    /** Where gateways reach this processor's HTTP port: the setting, the HTTP host, or this machine's name. */
    private static String advertisedHost(Env env) {
        String advertised = Settings.PROCESSOR_ADVERTISED_HOST.from(env);
        if (advertised != null) {
            return advertised;
        }
        String host = Settings.PROCESSOR_HTTP_HOST.from(env);
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Whether this processor answers routed reads: only to callers that show the deployment's internal key. */
    public boolean servesRoutedReads() {
        return internalKey.isPresent();
    }

    public static ProcessorSettings fromEnv(Map<String, String> variables) {
        return from(new Env(variables));
    }

    /**
     * Streams commits once <em>more</em> than {@code commit.interval.ms} has passed on its millisecond clock, so one
     * less makes it commit once {@code TOKENPOOL_COMMIT_INTERVAL_MS} has passed, not a millisecond later.
     */
    long streamsCommitIntervalMs() {
        return commitIntervalMs - 1;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    Properties streamsProperties() {
        return streamsProperties(null);
    }

    /** {@code applicationServer}: the {@code host:port} where this instance answers routed reads (null: none). */
    Properties streamsProperties(String applicationServer) {
        Properties props = new Properties();
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.putAll(kafka.clientConfig()); // security settings reach every client Streams creates
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        // Transactional state stores (KIP-892): a transaction's writes reach RocksDB only once it commits, with the
        // changelog offsets beside them, so a kill -9 no longer wipes the stores: a restart keeps what RocksDB had
        // flushed and replays only the changelog tail since (bounded by the memtable budget, not by the pool size).
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        // Restoring after a crash reads the changelogs in large batches.
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 64 * 1024 * 1024);
        props.put(
                StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 16 * 1024 * 1024);
        // The project-settings updater handles bad records itself; this only opts in to Kafka 5.0's default now.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        DeletedDataBound.compaction(deletedDataRetention)
                .forEach((name, value) -> props.put(StreamsConfig.topicPrefix(name), value));
        props.put(RocksDbSettings.DELETED_DATA_BOUND_CONFIG, deletedDataRetention.toMillis());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbSettings.class);
        props.put(RocksDbSettings.MEMORY_CONFIG, rocksDbMemoryBytes);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ResultDeliveryHandler.class);
        props.put(ResultDeliveryHandler.EVENTS_TOPIC_CONFIG, topology.eventsTopic());
        props.put(ResultDeliveryHandler.AUDIT_TOPIC_CONFIG, topology.auditTopic());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streamsCommitIntervalMs());
        props.put(StreamsConfig.POLL_MS_CONFIG, pollMs);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The project-settings reader sends nothing but fetches once started (HeldFetches).
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int)
                HeldFetches.WAIT.toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeoutMs);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                Math.min(3_000, sessionTimeoutMs / 3));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) transactionTimeoutMs);
        if (instanceId != null) {
            // Static membership: a restarted instance takes its partitions back at once instead of waiting for the
            // broker to drop its dead predecessor after the session timeout.
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        }
        // Nothing a transaction writes is read before it commits, and a commit sends whatever is still buffered: so
        // records wait for the commit instead of going out one request each (five records a command, to as many
        // partitions), and the broker handles a few large requests per commit instead of many small ones.
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) Math.min(commitIntervalMs, 1000));
        // Results up to PoolResult.MAX_BYTES (a 10,000-token list page); compressed on the broker.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), PoolResult.MAX_BYTES);
        return props;
    }
}
