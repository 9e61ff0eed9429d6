package dev.tokenpool.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every Kafka client of a tokenpool process reaches the cluster: the bootstrap servers
 * (TOKENPOOL_BOOTSTRAP_SERVERS) and the client properties of a file named by TOKENPOOL_KAFKA_PROPERTIES,
 * such as {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} or {@code ssl.*}.
 * They go to every admin client, producer and consumer the process creates, Kafka Streams' own included;
 * tokenpool's settings of a client (acks, isolation level, timeouts …) win where both name one.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {

    public KafkaConnection {
        properties = Map.copyOf(properties);
    }

    public static KafkaConnection to(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    public static KafkaConnection from(Env env) {
        String file = Settings.KAFKA_PROPERTIES.from(env);
        return new KafkaConnection(Settings.BOOTSTRAP_SERVERS.from(env), file == null ? Map.of() : read(file));
    }

    /** The same client properties for another cluster (the standalone's embedded broker). */
    public KafkaConnection at(String servers) {
        return new KafkaConnection(servers, properties);
    }

    /** A new, modifiable client configuration: the bootstrap servers and the file's properties. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(properties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    private static Map<String, String> read(String file) {
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            loaded.load(in);
        } catch (IOException | RuntimeException e) {
            throw new Env.BadSetting(
                    Settings.KAFKA_PROPERTIES.name(), file, "a readable file of Kafka client properties (" + e + ")");
        }
        Map<String, String> properties = new TreeMap<>();
        loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
        return properties;
    }

    /** Names the properties, never their values: {@code sasl.jaas.config} holds a password. */
    @Override
    public String toString() {
        return bootstrapServers + (properties.isEmpty() ? "" : " with " + properties.keySet());
    }
}
