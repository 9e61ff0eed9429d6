package dev.tokenpool.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;

/** Runs the gateway on its own against any Kafka cluster (see GatewaySettings for the environment). */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Gateway gateway = Gateway.start(GatewaySettings.fromEnv(System.getenv()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
