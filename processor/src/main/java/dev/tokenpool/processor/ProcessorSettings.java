package dev.tokenpool.processor;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the processor runs, from environment variables.
 *
 * <p>Latency trade-off: under exactly_once_v2 a result becomes visible to the gateway only when the
 * transaction commits, so {@code commitIntervalMs} bounds the reply latency. Short commits (10 ms)
 * give ~27 ms round trips at the cost of more transactions per second; Kafka's EOS default (100 ms)
 * gives ~130 ms and less broker load.
 */
public record ProcessorSettings(String bootstrapServers, String applicationId, Path stateDir,
                                String processingGuarantee, long commitIntervalMs, long pollMs,
                                int commandPartitions, short replicationFactor, int httpPort,
                                TokenPoolConfig topology) {

    public static ProcessorSettings fromEnv(Map<String, String> env) {
        return new ProcessorSettings(
                env.getOrDefault("TOKENPOOL_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.getOrDefault("TOKENPOOL_APPLICATION_ID", "tokenpool-processor"),
                Path.of(env.getOrDefault("TOKENPOOL_STATE_DIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "tokenpool-state").toString())),
                env.getOrDefault("TOKENPOOL_PROCESSING_GUARANTEE", StreamsConfig.EXACTLY_ONCE_V2),
                Long.parseLong(env.getOrDefault("TOKENPOOL_COMMIT_INTERVAL_MS", "10")),
                Long.parseLong(env.getOrDefault("TOKENPOOL_POLL_MS", "10")),
                Integer.parseInt(env.getOrDefault("TOKENPOOL_COMMAND_PARTITIONS", "6")),
                Short.parseShort(env.getOrDefault("TOKENPOOL_REPLICATION_FACTOR", "1")),
                Integer.parseInt(env.getOrDefault("TOKENPOOL_PROCESSOR_HTTP_PORT", "8081")),
                TokenPoolConfig.fromEnv(env));
    }

    public ProcessorSettings withBootstrapServers(String servers) {
        return new ProcessorSettings(servers, applicationId, stateDir, processingGuarantee, commitIntervalMs, pollMs,
                commandPartitions, replicationFactor, httpPort, topology);
    }

    public ProcessorSettings withStateDir(Path dir) {
        return new ProcessorSettings(bootstrapServers, applicationId, dir, processingGuarantee, commitIntervalMs, pollMs,
                commandPartitions, replicationFactor, httpPort, topology);
    }

    public ProcessorSettings withHttpPort(int port) {
        return new ProcessorSettings(bootstrapServers, applicationId, stateDir, processingGuarantee, commitIntervalMs,
                pollMs, commandPartitions, replicationFactor, port, topology);
    }

    Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.POLL_MS_CONFIG, pollMs);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A result may carry up to 500 invalid token entries; keep batches of them small and fast.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        return props;
    }
}
