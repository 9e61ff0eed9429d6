package dev.tokenpool.standalone;

import dev.tokenpool.runtime.Deadline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone (broker, processor, gateway) in a JVM of its own, started as {@code ./tokenpool}
 * starts it, on one data directory and fixed ports across restarts, so a test can kill it with
 * SIGKILL (kill -9) or stop it with SIGTERM (Ctrl-C) and start it again.
 */
final class StandaloneProcess implements AutoCloseable {
    static final String ADMIN_KEY = "chaos-admin-key";

    final Path dataDir;
    final int httpPort;
    private final int kafkaPort;
    private final int controllerPort;
    private final Map<String, String> extraEnv;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    /** The heap of the standalone's JVM, as TOKENPOOL_JAVA_OPTS would set it. */
    private final String heap;

    StandaloneProcess(Path dataDir, Map<String, String> extraEnv) throws IOException {
        this(dataDir, extraEnv, "768m");
    }

    StandaloneProcess(Path dataDir, Map<String, String> extraEnv, String heap) throws IOException {
        this.heap = heap;
        this.dataDir = dataDir;
        this.httpPort = KafkaBroker.freePort();
        this.kafkaPort = KafkaBroker.freePort();
        this.controllerPort = KafkaBroker.freePort();
        this.extraEnv = extraEnv;
    }

    /** Starts the JVM and returns once /health/ready says UP; the time that took. */
    Duration start() throws Exception {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                StandaloneMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> env = builder.environment();
        env.put("TOKENPOOL_DATA_DIR", dataDir.toString());
        env.put("TOKENPOOL_HTTP_PORT", Integer.toString(httpPort));
        env.put("TOKENPOOL_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("TOKENPOOL_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        env.put("TOKENPOOL_ADMIN_KEY", ADMIN_KEY); // an empty value in extraEnv leaves it unset
        env.putAll(extraEnv);
        Files.writeString(
                log(),
                "=== start " + (++starts) + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
        try {
            Deadline.await(
                    Duration.ofMinutes(3), this::ready, () -> "standalone ready; log (with a thread dump): " + log());
        } catch (Deadline.TimedOut e) {
            threadDump();
            throw e;
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** SIGQUIT: the JVM prints every thread's stack to its output, the log, and goes on. */
    private void threadDump() throws Exception {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(1_000); // the dump is written by the JVM's own thread
    }

    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the standalone exited with " + process.exitValue() + "; log: " + log());
        }
        try {
            return get("/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON request to the standalone's gateway, with headers as name, value pairs. */
    HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
                .timeout(Duration.ofSeconds(15))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin API call; the answer's body. */
    String admin(String method, String path, String body) throws Exception {
        return call(method, path, body, "x-admin-key", ADMIN_KEY).body();
    }

    URI url(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C: the shutdown hook stops everything cleanly. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the standalone did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Resident memory of the standalone's JVM, in kilobytes (Linux). */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    int httpPort() {
        return httpPort;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String demoApiKey() throws IOException {
        return Files.readString(dataDir.resolve("demo-api-key"), StandardCharsets.UTF_8)
                .trim();
    }

    Path log() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** Records restored from changelogs since the last start. */
    long restoredSinceLastStart() throws IOException {
        return RestoreLines.restored(logSinceLastStart());
    }

    /** Where each rebuild of a store from its changelog started, since the last start. */
    List<Long> restoreStartOffsets(String store) throws IOException {
        return RestoreLines.startOffsets(logSinceLastStart(), store);
    }

    /** Hanging transactions the processor aborted since the last start. */
    long hangingTransactionsAbortedSinceLastStart() throws IOException {
        return logSinceLastStart()
                .lines()
                .filter(line -> line.contains("aborted a hanging transaction"))
                .count();
    }

    private String logSinceLastStart() throws IOException {
        String all = Files.readString(log(), StandardCharsets.UTF_8);
        return all.substring(all.lastIndexOf("=== start "));
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill9();
        }
    }
}
