package dev.tokenpool.processor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The processor's small HTTP side: /health/live, /health/ready and /metrics (Prometheus text). */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    HealthServer(String host, int port, ProcessorService processor, PrometheusMeterRegistry registry)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext(
                "/health/live",
                ex -> status(ex, processor.isAlive(), processor.state().toString()));
        server.createContext(
                "/health/ready",
                ex -> status(ex, processor.isRunning(), processor.state().toString()));
        server.createContext(
                "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
    }

    int port() {
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
