package dev.tokenpool.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for the whole test run, chosen in this order: the cluster named by
 * KAFKA_BOOTSTRAP_SERVERS; an apache/kafka container when a Docker engine answers; else Apache Kafka
 * itself in KRaft mode inside this JVM, started by the standalone's own {@link EmbeddedKafka}.
 */
public final class KafkaBroker implements BeforeAllCallback {
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);
    static final String IMAGE = "apache/kafka:4.4.0";

    private static volatile String bootstrapServers;

    @Override
    public void beforeAll(ExtensionContext context) {
        Running running =
                context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("broker", key -> start(), Running.class);
        bootstrapServers = running.bootstrapServers();
    }

    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(KafkaBroker.class)");
        }
        return bootstrapServers;
    }

    /** A broker that stops when the test run ends. */
    interface Running extends AutoCloseable {
        String bootstrapServers();

        @Override
        void close();
    }

    private static Running start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            log.info("tests use the Kafka cluster at {}", external);
            return new Running() {
                public String bootstrapServers() {
                    return external;
                }

                public void close() {}
            };
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(IMAGE);
            container.start();
            log.info("tests use the {} container at {}", IMAGE, container.getBootstrapServers());
            return new Running() {
                public String bootstrapServers() {
                    return container.getBootstrapServers();
                }

                public void close() {
                    container.stop();
                }
            };
        }
        EmbeddedKafka broker = inJvmBroker();
        log.info("tests use an in-JVM KRaft broker at {}", broker.bootstrapServers());
        return new Running() {
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            public void close() {
                broker.close();
            }
        };
    }

    /**
     * Apache Kafka in KRaft mode in this JVM, started by the same launcher as the standalone: one
     * combined broker and controller on free ports, with its data in a temporary directory.
     */
    static EmbeddedKafka inJvmBroker() {
        try {
            Path dataDir = DataDirs.dir("tokenpool-it-kafka");
            return EmbeddedKafka.start(dataDir, freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an in-JVM Kafka broker", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
