package dev.tokenpool.processor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenpool.runtime.InternalKey;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The processor's small HTTP side: /health/live, /health/ready and /metrics (Prometheus text), and, with the
 * deployment's internal key, the routed reads of gateways that run apart ({@link InternalReads}). It listens
 * before the processor starts, so the processor can tell the group where its routed reads are.
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    public HealthServer(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        // A routed read may wait a little for the stores to commit: each request has a thread of its own.
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Serves the processor's health and metrics, and its routed reads when it has an internal key. */
    public void serve(ProcessorService processor, PrometheusMeterRegistry registry, Optional<InternalKey> internalKey) {
        server.createContext(
                "/health/live",
                ex -> status(ex, processor.isAlive(), processor.state().toString()));
        server.createContext(
                "/health/ready",
                ex -> status(ex, processor.isRunning(), processor.state().toString()));
        server.createContext(
                "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        internalKey.ifPresent(key -> new InternalReads(processor, key).addTo(server));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void status(HttpExchange exchange, boolean ok, String state) throws IOException {
        send(
                exchange,
                ok ? 200 : 503,
                "application/json",
                "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\",\"state\":\"" + state + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
