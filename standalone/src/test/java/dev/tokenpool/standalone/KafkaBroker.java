package dev.tokenpool.standalone;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for the whole test run, chosen in this order: the cluster named by
 * KAFKA_BOOTSTRAP_SERVERS; an apache/kafka container when a Docker engine answers; else Apache Kafka
 * itself in KRaft mode inside this JVM.
 */
public final class KafkaBroker implements BeforeAllCallback {
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);
    static final String IMAGE = "apache/kafka:4.3.1";

    private static volatile String bootstrapServers;

    @Override
    public void beforeAll(ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("broker", key -> start(), Running.class);
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
    }

    private static Running start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            log.info("tests use the Kafka cluster at {}", external);
            return new Running() {
                public String bootstrapServers() {
                    return external;
                }

                public void close() {
                }
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
        KafkaClusterTestKit cluster = inJvmCluster();
        log.info("tests use an in-JVM KRaft broker at {}", cluster.bootstrapServers());
        return new Running() {
            public String bootstrapServers() {
                return cluster.bootstrapServers();
            }

            public void close() throws Exception {
                cluster.close();
            }
        };
    }

    /** Apache Kafka in KRaft mode in this JVM: one combined broker and controller on random ports. */
    static KafkaClusterTestKit inJvmCluster() {
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
            Map.of("group.initial.rebalance.delay.ms", "0",
                    "offsets.topic.replication.factor", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "num.partitions", "1").forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an in-JVM Kafka broker", e);
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
