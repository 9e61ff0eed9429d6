package dev.tokenpool.gateway;

import dev.tokenpool.runtime.ServiceMain;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Runs the gateway on its own against any Kafka cluster (see GatewaySettings for the environment). */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run(
                "gateway",
                resources -> resources.add(Gateway.start(
                        GatewaySettings.fromEnv(System.getenv()),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))));
    }
}
