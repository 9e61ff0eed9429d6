package dev.tokenpool.processor;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running processor: the topology inside KafkaStreams, its topics and its metrics. */
public final class TokenPoolProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TokenPoolProcessor.class);

    private final ProcessorSettings settings;
    private final AdminReplyTopics replyTopics;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;

    private TokenPoolProcessor(ProcessorSettings settings, PrometheusMeterRegistry registry) {
        this.settings = settings;
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()));
        TopicSetup.ensure(admin, settings.topology(), settings.commandPartitions(), settings.replicationFactor());
        this.replyTopics = new AdminReplyTopics(admin, Duration.ofSeconds(10));
        this.streams = new KafkaStreams(TokenPoolTopology.build(settings.topology(), replyTopics),
                settings.streamsProperties());
        streams.setStateListener((now, before) -> log.info("processor state {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
    }

    /** Creates missing topics and starts processing. */
    public static TokenPoolProcessor start(ProcessorSettings settings, PrometheusMeterRegistry registry) {
        TokenPoolProcessor processor = new TokenPoolProcessor(settings, registry);
        log.info("starting processor {} on {} (commands: {}, guarantee: {}, commit interval: {} ms, state: {})",
                settings.applicationId(), settings.bootstrapServers(), settings.topology().commandsTopic(),
                settings.processingGuarantee(), settings.commitIntervalMs(), settings.stateDir());
        processor.streams.start();
        return processor;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the processor has its tasks and answers commands. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processor not running after " + timeout + " (state " + state() + ")");
            }
            Thread.sleep(50);
        }
    }

    public ProcessorSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        log.info("stopping processor");
        streams.close(Duration.ofSeconds(30));
        metrics.close();
        replyTopics.close();
    }
}
