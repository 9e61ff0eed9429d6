package dev.tokenpool.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSTs one webhook delivery to the address its URL was resolved to and checked at, with the URL's host in
 * {@code Host} and TLS (server name and certificate check). Redirects are not followed; of the answer only the status
 * counts, and its body is read up to {@link #MAX_ANSWER_BYTES} and dropped. The whole exchange — connect, send,
 * answer — is bounded by the timeout: a slow endpoint holds a connection no longer than that.
 */
final class WebhookPoster {
    static final int MAX_ANSWER_BYTES = 4 * 1024;

    /** How one attempt ended: answered with a status (2xx: delivered), or not answered at all. */
    sealed interface Outcome {
        record Answered(int status) implements Outcome {}

        record NoAnswer(String reason) implements Outcome {}

        default boolean delivered() {
            return this instanceof Answered(int status) && status >= 200 && status < 300;
        }

        default String describe() {
            return switch (this) {
                case Answered(int status) -> "answered " + status;
                case NoAnswer(String reason) -> reason;
            };
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;

    WebhookPoster(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) timeout.toMillis())
                        .setVerifyHost(true)
                        .setKeepAlive(true)
                        .setMaxInitialLineLength(4096)
                        .setMaxHeaderSize(16 * 1024),
                new PoolOptions().setHttp1MaxSize(8));
    }

    Future<Outcome> post(URI url, InetAddress address, Map<String, String> headers, byte[] body) {
        boolean tls = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(url.getHost())
                .setPort(port)
                .setSsl(tls)
                .setURI(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        Promise<Outcome> outcome = Promise.promise();
        AtomicBoolean settled = new AtomicBoolean();
        long deadline = vertx.setTimer(timeout.toMillis(), id -> {
            if (settled.compareAndSet(false, true)) {
                outcome.complete(new Outcome.NoAnswer("no answer within " + timeout.toMillis() + " ms"));
            }
        });
        client.request(options)
                .compose(request -> {
                    request.exceptionHandler(e -> {});
                    return request.send(Buffer.buffer(body));
                })
                .onSuccess(response -> drain(response, settled, outcome, deadline))
                .onFailure(e -> {
                    if (settled.compareAndSet(false, true)) {
                        vertx.cancelTimer(deadline);
                        outcome.complete(new Outcome.NoAnswer(e.getClass().getSimpleName() + ": " + e.getMessage()));
                    }
                });
        return outcome.future();
    }

    /** Reads up to {@link #MAX_ANSWER_BYTES} of the answer, then drops the connection rather than read on. */
    private void drain(HttpClientResponse response, AtomicBoolean settled, Promise<Outcome> outcome, long deadline) {
        int status = response.statusCode();
        long[] read = {0};
        response.exceptionHandler(e -> {});
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > MAX_ANSWER_BYTES) {
                response.request().reset();
                finish(settled, outcome, deadline, status);
            }
        });
        response.endHandler(end -> finish(settled, outcome, deadline, status));
    }

    private void finish(AtomicBoolean settled, Promise<Outcome> outcome, long deadline, int status) {
        if (settled.compareAndSet(false, true)) {
            vertx.cancelTimer(deadline);
            outcome.complete(new Outcome.Answered(status));
        }
    }

    void close() {
        client.close();
    }
}
