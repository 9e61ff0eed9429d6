package dev.tokenpool.standalone;

import dev.tokenpool.processor.ProcessorMain;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One processor instance in a JVM of its own (as {@code java -jar tokenpool-processor.jar}), to kill -9 and restart. */
final class ProcessorProcess implements AutoCloseable {
    private final Map<String, String> env;
    private final Path log;
    private final int httpPort;
    private Process process;

    ProcessorProcess(Map<String, String> env, String instanceId) throws IOException {
        this.httpPort = KafkaBroker.freePort();
        this.env = new java.util.HashMap<>(env);
        this.env.put("TOKENPOOL_INSTANCE_ID", instanceId);
        this.env.put("TOKENPOOL_PROCESSOR_HTTP_PORT", Integer.toString(httpPort));
        this.env.putIfAbsent("TOKENPOOL_PROCESSOR_HTTP_HOST", "127.0.0.1");
        this.env.put(
                "TOKENPOOL_STATE_DIR", DataDirs.dir("tokenpool-" + instanceId).toString());
        this.log = DataDirs.file("tokenpool-" + instanceId, ".log");
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx384m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProcessorMain.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Its HTTP port: health, metrics and, with an internal key, routed reads. */
    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Whether its own /health/ready says it runs (has its partitions and processes). */
    boolean running() {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }

    void awaitRunning() throws Exception {
        Deadline.await(Duration.ofMinutes(2), this::running, () -> "processor running; log: " + log);
    }

    /** Everything it has logged so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
