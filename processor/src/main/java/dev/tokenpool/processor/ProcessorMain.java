package dev.tokenpool.processor;

import dev.tokenpool.runtime.ServiceMain;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the processor on its own against any Kafka cluster (see ProcessorSettings for the environment). */
public final class ProcessorMain {
    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run("processor", resources -> {
            ProcessorSettings settings = ProcessorSettings.fromEnv(System.getenv());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HealthServer http = resources.add(new HealthServer(settings.httpHost(), settings.httpPort()));
            String routedReads = settings.servesRoutedReads() ? settings.advertisedHost() + ":" + http.port() : null;
            ProcessorService processor = resources.add(ProcessorService.start(settings, registry, routedReads));
            http.serve(processor, registry, settings.internalKey());
            log.info(
                    "processor health and metrics on http://{}:{}/health/ready and /metrics{}",
                    settings.httpHost(),
                    http.port(),
                    routedReads == null ? "" : "; routed reads for the gateways at " + routedReads);
        });
    }
}
