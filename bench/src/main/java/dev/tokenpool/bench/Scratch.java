package dev.tokenpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories a benchmark writes into (brokers, state stores) and deletes when it is done. */
public final class Scratch {
    private Scratch() {
    }

    public static Path dir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes the directory and everything in it. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
