package dev.tokenpool.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process of a local cluster — a broker, a processor or a gateway — in a JVM of its own, started from the
 * standalone's class path, its output appended to its own log file. It outlives the JVM that started it (so
 * {@code ./tokenpool cluster} can return), and is found again by its PID.
 */
final class ClusterProcess {
    private final String name;
    private final String mainClass;
    private final List<String> arguments;
    private final Map<String, String> env;
    private final String heap;
    private final String classPath;
    private final Path log;
    private ProcessHandle handle;

    ClusterProcess(
            String name,
            String mainClass,
            List<String> arguments,
            Map<String, String> env,
            String heap,
            String classPath,
            Path log) {
        this.name = name;
        this.mainClass = mainClass;
        this.arguments = List.copyOf(arguments);
        this.env = Map.copyOf(env);
        this.heap = heap;
        this.classPath = classPath;
        this.log = log;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name + " runs already (PID " + handle.pid() + ")");
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap,
                "-Djdk.nio.maxCachedBufferSize=262144",
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(env);
        handle = builder.start().toHandle();
    }

    /** The process of an earlier start, found by its PID (null: none). */
    void adopt(long pid) {
        handle = ProcessHandle.of(pid).orElse(null);
    }

    boolean alive() {
        return handle != null && handle.isAlive();
    }

    Optional<Long> pid() {
        return alive() ? Optional.of(handle.pid()) : Optional.empty();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or handed over. */
    void kill9() throws InterruptedException {
        if (handle != null) {
            handle.destroyForcibly();
            await(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, without waiting. */
    void terminate() {
        if (alive()) {
            handle.destroy();
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it; SIGKILL if it has not ended within {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (!alive()) {
            return;
        }
        handle.destroy();
        if (!await(grace)) {
            kill9();
        }
    }

    private boolean await(Duration timeout) throws InterruptedException {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        }
    }
}
