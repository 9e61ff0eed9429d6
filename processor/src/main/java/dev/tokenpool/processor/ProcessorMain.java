package dev.tokenpool.processor;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the processor on its own against any Kafka cluster (see ProcessorSettings for the environment). */
public final class ProcessorMain {
    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessorSettings settings = ProcessorSettings.fromEnv(System.getenv());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TokenPoolProcessor processor = TokenPoolProcessor.start(settings, registry);
        HealthServer health = new HealthServer(settings.httpPort(), processor, registry);
        log.info("processor health and metrics on http://localhost:{}/health/ready and /metrics", health.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            health.close();
            processor.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
