package dev.tokenpool.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop HTTP load: {@code concurrency} clients, each sending its next request as soon as the
 * previous one is answered. Latencies go to an HdrHistogram corrected for coordinated omission: a
 * response slower than the clients' usual interval also records the requests that would have been
 * sent meanwhile (HdrHistogram's expected-interval correction, with the interval measured in warm-up).
 */
final class LoadGenerator {

    /** One request to send: method, path, body (null for none), and an Idempotency-Key (null for none). */
    record Request(String method, String path, String body, String idempotencyKey) {
        Request(String method, String path, String body) {
            this(method, path, body, null);
        }
    }

    /** Requests per second and latency percentiles (ms) of one measured run; {@code errors}: non-2xx answers. */
    record Result(double throughput, double p50, double p99, long errors) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final String apiKey;

    LoadGenerator(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** Warms up for {@code warmUp}, then measures for {@code measure}; request {@code n} of a client is {@code requests(n)}. */
    Result run(int concurrency, Duration warmUp, Duration measure, IntFunction<Request> requests)
            throws InterruptedException {
        Phase warm = phase(concurrency, warmUp, requests, 0);
        long expectedIntervalMicros =
                warm.count == 0 ? 0 : (long) (concurrency * 1_000_000.0 / (warm.count / seconds(warmUp)));
        Phase measured = phase(concurrency, measure, requests, expectedIntervalMicros);
        Histogram histogram = measured.histogram;
        return new Result(
                measured.count / seconds(measure),
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                measured.errors);
    }

    private record Phase(long count, long errors, Histogram histogram) {}

    private Phase phase(int concurrency, Duration length, IntFunction<Request> requests, long expectedIntervalMicros)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    Request request = requests.apply((int) sequence.getAndIncrement());
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(build(request), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    long micros = Math.max(1, (System.nanoTime() - start) / 1000);
                    if (!stop.get()) {
                        if (expectedIntervalMicros > 0) {
                            recorder.recordValueWithExpectedInterval(micros, expectedIntervalMicros);
                        } else {
                            recorder.recordValue(micros);
                        }
                        count.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        Histogram histogram = recorder.getIntervalHistogram();
        for (Thread client : clients) {
            client.join();
        }
        return new Phase(count.get(), errors.get(), histogram);
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.path()))
                .timeout(Duration.ofSeconds(30))
                .header("x-api-key", apiKey)
                .header("Content-Type", "text/plain")
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()));
        if (request.idempotencyKey() != null) {
            builder.header("Idempotency-Key", request.idempotencyKey());
        }
        return builder.build();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
