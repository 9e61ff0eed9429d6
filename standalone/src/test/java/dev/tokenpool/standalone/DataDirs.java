package dev.tokenpool.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the end-to-end tests keep brokers, state stores and logs: under the module's {@code target/}
 * (left for a look after a failure, gone with {@code mvnw clean} or a fresh clone), not in the
 * machine's temp directory, which they would fill run after run.
 */
final class DataDirs {
    private static final Path ROOT = Path.of("target", "it-data").toAbsolutePath();

    private DataDirs() {}

    static Path dir(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(ROOT), prefix);
    }

    static Path file(String prefix, String suffix) throws IOException {
        return Files.createTempFile(Files.createDirectories(ROOT), prefix, suffix);
    }
}
