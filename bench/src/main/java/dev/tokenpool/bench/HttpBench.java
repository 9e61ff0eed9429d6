package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.gateway.LocalReads;
import dev.tokenpool.gateway.MasterKeys;
import dev.tokenpool.processor.HealthServer;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Directories;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.InternalKey;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.standalone.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The HTTP benchmark: tokenpool (gateway + processor) and the two bare Kafka echo anchors (see
 * {@link EchoService}) on the same in-JVM broker with the same gateway and client settings, measured
 * in alternation (tokenpool, transactional echo, plain echo, and again) so that noise on a shared
 * machine hits all of them. Prints one table with the ratios, and one of GET 1 token three ways: read
 * from the stores in the gateway's JVM (as the standalone does), through Kafka (a second gateway on
 * the same processor, without local reads) and a bare HTTP echo of the same gateway (/health/live),
 * also in alternation. Settings (system properties):
 * bench.concurrency [1,16,64,256], bench.seconds [5], bench.warmup [2] (before each measurement),
 * bench.warmupFirst [20] (once, before all: every path of every target at 16 clients, so the first
 * measurement does not catch tokenpool's processor still compiling while the echoes have nothing to
 * compile), bench.rounds [2].
 */
public final class HttpBench {

    private HttpBench() {}

    private static final String GET = "GET 1 token";
    private static final String POST_KEYED = "POST 1 token, Idempotency-Key";

    record Cell(String scenario, int concurrency, String target) {}

    public static void main(String[] args) throws Exception {
        int[] concurrencies = Arrays.stream(
                        System.getProperty("bench.concurrency", "1,16,64,256").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup", 2));
        int rounds = Integer.getInteger("bench.rounds", 2);

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Path brokerDir = Files.createTempDirectory("tokenpool-bench-kafka");
        Path stateDir = Files.createTempDirectory("tokenpool-bench-state");
        try (EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, AdminClient.freePort(), AdminClient.freePort())) {
            String bootstrap = broker.bootstrapServers();
            Map<String, String> env = new HashMap<>(Map.of(
                    "TOKENPOOL_BOOTSTRAP_SERVERS",
                    bootstrap,
                    "TOKENPOOL_STATE_DIR",
                    stateDir.toString(),
                    "TOKENPOOL_ADMIN_KEY",
                    AdminClient.ADMIN_KEY,
                    "TOKENPOOL_HTTP_PORT",
                    "0",
                    "TOKENPOOL_PROCESSOR_HTTP_PORT",
                    "0",
                    MasterKeys.VARIABLE,
                    MasterKeys.generate(),
                    Settings.INTERNAL_KEY.name(),
                    "bench-internal-key"));
            // tokenpool's own settings from the environment, to compare them (e.g. TOKENPOOL_COMMIT_INTERVAL_MS).
            System.getenv().forEach((name, value) -> {
                if (name.startsWith("TOKENPOOL_") && !env.containsKey(name)) {
                    env.put(name, value);
                }
            });
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                KafkaTopics.createIfMissing(
                        admin,
                        new NewTopic("bench.echo-tx.commands", 6, (short) 1),
                        new NewTopic("bench.echo-plain.commands", 6, (short) 1));
            }
            // The processor's HTTP port answers routed reads, for the gateway that runs "apart" (routed below).
            try (HealthServer processorHttp = new HealthServer("127.0.0.1", 0);
                    ProcessorService processor = ProcessorService.start(
                            ProcessorSettings.fromEnv(env), metrics, "127.0.0.1:" + processorHttp.port());
                    Gateway tokenpool = gateway(
                            env,
                            "bench-tokenpool",
                            null,
                            metrics,
                            env.getOrDefault("TOKENPOOL_LOCAL_READS", "true").equals("true")
                                    ? processor.localReads()::read
                                    : null);
                    Gateway viaKafka = gateway(env, "bench-tokenpool-kafka", null, metrics, null);
                    Gateway routed = gateway(
                            withProcessorUrl(env, processorHttp.port()),
                            "bench-tokenpool-routed",
                            null,
                            metrics,
                            null);
                    Gateway txEcho = gateway(env, "bench-echo-tx", "bench.echo-tx.commands", metrics, null);
                    Gateway plainEcho = gateway(env, "bench-echo-plain", "bench.echo-plain.commands", metrics, null);
                    EchoService tx = new EchoService(bootstrap, "bench.echo-tx.commands", true);
                    EchoService plain = new EchoService(bootstrap, "bench.echo-plain.commands", false)) {
                processorHttp.serve(processor, metrics, InternalKey.from(new Env(env)));
                processor.awaitRunning(Duration.ofMinutes(2));
                String apiKey = AdminClient.createProject(tokenpool.port(), "bench")[1];
                Map<String, Integer> ports = new LinkedHashMap<>();
                ports.put("tokenpool", tokenpool.port());
                ports.put("tx echo", txEcho.port());
                ports.put("plain echo", plainEcho.port());
                for (Map.Entry<String, Integer> target : ports.entrySet()) {
                    awaitAnswers(target.getValue(), apiKey);
                }
                Map<Cell, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
                Set<Cell> drained = new HashSet<>();
                int[] next = {0};
                IntFunction<LoadGenerator.Request> post1 = n -> post(List.of(tokenId(next[0]++)));
                // A fresh key per request: every one is applied and its result stored, the cost a keyed client pays.
                AtomicLong keys = new AtomicLong();
                IntFunction<LoadGenerator.Request> post1Keyed = n -> {
                    long key = keys.incrementAndGet();
                    LoadGenerator.Request request = post(List.of("bench-keyed-%09d".formatted(key)));
                    return new LoadGenerator.Request(
                            request.method(), request.path(), request.body(), "bench-key-" + key);
                };
                Duration warmUpFirst = Duration.ofSeconds(Long.getLong("bench.warmupFirst", 20));
                for (Map.Entry<String, Integer> target : ports.entrySet()) {
                    LoadGenerator load = new LoadGenerator("http://localhost:" + target.getValue(), apiKey);
                    load.run(16, Duration.ZERO, warmUpFirst, post1);
                    if (target.getKey().equals("tokenpool")) {
                        load.run(
                                16,
                                Duration.ZERO,
                                warmUpFirst,
                                n -> new LoadGenerator.Request(
                                        "GET",
                                        "/v3/submission/tokens?tokenId=" + tokenId(n % Math.max(1, next[0])),
                                        null));
                        load.run(
                                16,
                                Duration.ZERO,
                                warmUpFirst,
                                n -> new LoadGenerator.Request(
                                        "DELETE", "/v3/submission/tokens", "{\"count\":500,\"order\":\"asc\"}"));
                    }
                }
                // The routed path is warmed like the others: a write first (reads follow this gateway's writes).
                awaitPost(routed.port(), apiKey, post(List.of("bench-routed-0000")));
                new LoadGenerator("http://localhost:" + routed.port(), apiKey)
                        .run(
                                16,
                                Duration.ZERO,
                                warmUpFirst,
                                n -> new LoadGenerator.Request(
                                        "GET", "/v3/submission/tokens?tokenId=bench-routed-0000", null));
                for (int c : concurrencies) {
                    for (int round = 0; round < rounds; round++) {
                        for (Map.Entry<String, Integer> target : ports.entrySet()) {
                            LoadGenerator load = new LoadGenerator("http://localhost:" + target.getValue(), apiKey);
                            record(
                                    results,
                                    new Cell("POST 1 token", c, target.getKey()),
                                    load.run(c, warmUp, measure, post1));
                            if (target.getKey().equals("tokenpool")) {
                                record(
                                        results,
                                        new Cell(POST_KEYED, c, "tokenpool"),
                                        load.run(c, warmUp, measure, post1Keyed));
                            }
                        }
                    }
                }
                LoadGenerator load = new LoadGenerator("http://localhost:" + tokenpool.port(), apiKey);
                for (int c : concurrencies) {
                    record(
                            results,
                            new Cell("POST 500 tokens", c, "tokenpool"),
                            load.run(
                                    c,
                                    warmUp,
                                    measure,
                                    n -> post(IntStream.range(0, 500)
                                            .mapToObj(i -> tokenId(next[0]++))
                                            .toList())));
                    // The tokens read are registered just before, so the deletes of the oldest never reach them.
                    List<String> readable = IntStream.range(0, 1000)
                            .mapToObj("bench-get-%05d"::formatted)
                            .toList();
                    awaitPost(tokenpool.port(), apiKey, post(readable.subList(0, 500)));
                    awaitPost(tokenpool.port(), apiKey, post(readable.subList(500, 1000)));
                    // A gateway reads through the owner once it has written to the pool's partition (read-your-writes).
                    awaitPost(routed.port(), apiKey, post(List.of("bench-routed-0001")));
                    IntFunction<LoadGenerator.Request> get1 = n -> new LoadGenerator.Request(
                            "GET", "/v3/submission/tokens?tokenId=" + readable.get(n % 1000), null);
                    for (int round = 0; round < rounds; round++) {
                        record(results, new Cell(GET, c, "tokenpool"), load.run(c, warmUp, measure, get1));
                        record(
                                results,
                                new Cell(GET, c, "via Kafka"),
                                new LoadGenerator("http://localhost:" + viaKafka.port(), apiKey)
                                        .run(c, warmUp, measure, get1));
                        record(
                                results,
                                new Cell(GET, c, "routed"),
                                new LoadGenerator("http://localhost:" + routed.port(), apiKey)
                                        .run(c, warmUp, measure, get1));
                        record(
                                results,
                                new Cell(GET, c, "http echo"),
                                load.run(
                                        c,
                                        warmUp,
                                        measure,
                                        n -> new LoadGenerator.Request("GET", "/health/live", null)));
                    }
                    Cell deletes = new Cell("DELETE 500 oldest", c, "tokenpool");
                    record(
                            results,
                            deletes,
                            load.run(
                                    c,
                                    warmUp,
                                    measure,
                                    n -> new LoadGenerator.Request(
                                            "DELETE", "/v3/submission/tokens", "{\"count\":500,\"order\":\"asc\"}")));
                    if (count(tokenpool.port(), apiKey) == 0) {
                        drained.add(deletes); // the later deletes of the cell found nothing to delete: cheaper than the
                        // rest
                    }
                }
                System.out.println(table(results, concurrencies, drained));
            }
        } finally {
            Directories.delete(stateDir);
            Directories.delete(brokerDir);
        }
        System.exit(0);
    }

    private static void record(Map<Cell, List<LoadGenerator.Result>> results, Cell cell, LoadGenerator.Result result) {
        results.computeIfAbsent(cell, c -> new ArrayList<>()).add(result);
        System.err.printf(
                "%-18s c=%-4d %-11s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
                cell.scenario(),
                cell.concurrency(),
                cell.target(),
                result.throughput(),
                result.p50(),
                result.p99(),
                result.errors());
    }

    /** The mean of the rounds of each cell; ratios of tokenpool against each anchor. */
    static String table(Map<Cell, List<LoadGenerator.Result>> results, int[] concurrencies, Set<Cell> drained) {
        StringBuilder out = new StringBuilder();
        out.append(
                "\n| scenario | c | tokenpool req/s | p50 ms | p99 ms | tx echo req/s | p50 ms | plain echo req/s | p50 ms | vs tx echo | vs plain echo |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String scenario : List.of("POST 1 token", "POST 500 tokens", "DELETE 500 oldest")) {
            for (int c : concurrencies) {
                LoadGenerator.Result mine = mean(results.get(new Cell(scenario, c, "tokenpool")));
                if (mine == null) {
                    continue;
                }
                LoadGenerator.Result tx = mean(results.get(new Cell(scenario, c, "tx echo")));
                LoadGenerator.Result plain = mean(results.get(new Cell(scenario, c, "plain echo")));
                boolean ranEmpty = drained.contains(new Cell(scenario, c, "tokenpool"));
                out.append("| %s | %d | %.0f | %.2f | %.2f | %s | %s | %s | %s | %s | %s |%n"
                        .formatted(
                                ranEmpty ? scenario + " (pool ran empty)" : scenario,
                                c,
                                mine.throughput(),
                                mine.p50(),
                                mine.p99(),
                                tx == null ? "" : "%.0f".formatted(tx.throughput()),
                                tx == null ? "" : "%.2f".formatted(tx.p50()),
                                plain == null ? "" : "%.0f".formatted(plain.throughput()),
                                plain == null ? "" : "%.2f".formatted(plain.p50()),
                                tx == null ? "" : "%.2f".formatted(mine.throughput() / tx.throughput()),
                                plain == null ? "" : "%.2f".formatted(mine.throughput() / plain.throughput())));
            }
        }
        out.append(
                "\nGET 1 token: read from the stores in the gateway's JVM, through Kafka (a gateway without local reads),"
                        + " and GET /health/live of the same gateway (the bare HTTP echo)\n\n");
        out.append(
                "| c | local req/s | p50 ms | p99 ms | via Kafka req/s | p50 ms | p99 ms | http echo req/s | p50 ms |"
                        + " local p50 / echo p50 | via Kafka p50 / echo p50 |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (int c : concurrencies) {
            LoadGenerator.Result local = mean(results.get(new Cell(GET, c, "tokenpool")));
            LoadGenerator.Result kafka = mean(results.get(new Cell(GET, c, "via Kafka")));
            LoadGenerator.Result echo = mean(results.get(new Cell(GET, c, "http echo")));
            if (local != null && kafka != null && echo != null) {
                out.append("| %d | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f |%n"
                        .formatted(
                                c,
                                local.throughput(),
                                local.p50(),
                                local.p99(),
                                kafka.throughput(),
                                kafka.p50(),
                                kafka.p99(),
                                echo.throughput(),
                                echo.p50(),
                                local.p50() / echo.p50(),
                                kafka.p50() / echo.p50()));
            }
        }
        out.append(
                "\nGET 1 token through a gateway apart from the processor: routed to the processor's HTTP port, against"
                        + " the local read of the standalone and the Kafka path, same rounds\n\n");
        out.append(
                "| c | routed req/s | p50 ms | p99 ms | routed p50 / local p50 | routed req/s / via Kafka req/s |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
        for (int c : concurrencies) {
            LoadGenerator.Result routed = mean(results.get(new Cell(GET, c, "routed")));
            LoadGenerator.Result local = mean(results.get(new Cell(GET, c, "tokenpool")));
            LoadGenerator.Result kafka = mean(results.get(new Cell(GET, c, "via Kafka")));
            if (routed != null && local != null && kafka != null) {
                out.append("| %d | %.0f | %.2f | %.2f | %.2f | %.1f |%n"
                        .formatted(
                                c,
                                routed.throughput(),
                                routed.p50(),
                                routed.p99(),
                                routed.p50() / local.p50(),
                                routed.throughput() / kafka.throughput()));
            }
        }
        out.append("\nPOST 1 token with a fresh Idempotency-Key per request against without one, same rounds\n\n");
        out.append("| c | without req/s | p50 ms | with req/s | p50 ms | with / without |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
        for (int c : concurrencies) {
            LoadGenerator.Result without = mean(results.get(new Cell("POST 1 token", c, "tokenpool")));
            LoadGenerator.Result with = mean(results.get(new Cell(POST_KEYED, c, "tokenpool")));
            if (without != null && with != null) {
                out.append("| %d | %.0f | %.2f | %.0f | %.2f | %.2f |%n"
                        .formatted(
                                c,
                                without.throughput(),
                                without.p50(),
                                with.throughput(),
                                with.p50(),
                                with.throughput() / without.throughput()));
            }
        }
        return out.toString();
    }

    private static LoadGenerator.Result mean(List<LoadGenerator.Result> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        return new LoadGenerator.Result(
                runs.stream()
                        .mapToDouble(LoadGenerator.Result::throughput)
                        .average()
                        .orElse(0),
                runs.stream().mapToDouble(LoadGenerator.Result::p50).average().orElse(0),
                runs.stream().mapToDouble(LoadGenerator.Result::p99).average().orElse(0),
                runs.stream().mapToLong(LoadGenerator.Result::errors).sum());
    }

    private static Gateway gateway(
            Map<String, String> env,
            String id,
            String commandsTopic,
            PrometheusMeterRegistry metrics,
            LocalReads localReads)
            throws Exception {
        Map<String, String> settings = new HashMap<>(env);
        if (commandsTopic != null) {
            settings.put("TOKENPOOL_COMMANDS_TOPIC", commandsTopic);
        }
        settings.put(Settings.HTTP_PORT.name(), "0");
        settings.put(Settings.HTTP_HOST.name(), "127.0.0.1");
        settings.put(Settings.ADMIN_KEY.name(), AdminClient.ADMIN_KEY);
        settings.put(Settings.GATEWAY_ID.name(), id);
        return Gateway.start(GatewaySettings.fromEnv(settings), metrics, localReads);
    }

    /** The settings of a gateway that routes reads to the processor whose HTTP port is {@code port}. */
    private static Map<String, String> withProcessorUrl(Map<String, String> env, int port) {
        Map<String, String> routed = new HashMap<>(env);
        routed.put(Settings.PROCESSOR_URLS.name(), "http://127.0.0.1:" + port);
        return routed;
    }

    private static LoadGenerator.Request post(List<String> ids) {
        return new LoadGenerator.Request(
                "POST",
                "/v3/submission/tokens",
                ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"tokenId\":[", "]}")));
    }

    private static String tokenId(int n) {
        return "bench-%09d".formatted(n);
    }

    /** How many tokens the project's pool holds. */
    private static long count(int port, String apiKey) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/v3/submission/tokens?type=count"))
                                .header("x-api-key", apiKey)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode count = Json.parse(answer.body().getBytes()).path("count");
        if (answer.statusCode() != 200 || !count.isIntegralNumber()) {
            throw new IllegalStateException("no count from port " + port + ": " + answer.body());
        }
        return count.asLong();
    }

    /** Waits until a target answers a POST with 200: its gateway knows the key and its processor runs. */
    private static void awaitAnswers(int port, String apiKey) throws Exception {
        awaitPost(port, apiKey, post(List.of("warm-up-0001")));
    }

    private static void awaitPost(int port, String apiKey, LoadGenerator.Request request) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 300; attempt++) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.path()))
                            .header("x-api-key", apiKey)
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString(request.body()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no answer from port " + port);
    }
}
