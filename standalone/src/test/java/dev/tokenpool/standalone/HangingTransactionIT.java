package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A restart that found a hanging transaction on the processor group's offsets partition. The broker data in
 * {@code src/test/resources/hanging-transaction/kafka.tgz} is that of an embedded broker killed (kill -9, as
 * ChaosIT does) at the 22nd of 30 crashes under load, trimmed to the cluster metadata, the group offsets and the
 * transaction log: {@code __consumer_offsets-32} holds a transaction of producer 2, epoch 2095, that the
 * transaction coordinator (at epoch 2097, nothing open) will never close. The committed-offset fetch waits for
 * stable offsets under exactly-once, so the processor of the build before never resumed (its task init timed out
 * every minute). Now the processor aborts that transaction and runs.
 */
class HangingTransactionIT {
    @Test
    void shouldAbortATransactionACrashLeftHangingAndRun() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-hanging").resolve("data");
        Files.createDirectories(dataDir);
        Process untar = new ProcessBuilder(
                        "tar",
                        "xzf",
                        Path.of("src/test/resources/hanging-transaction/kafka.tgz")
                                .toAbsolutePath()
                                .toString(),
                        "-C",
                        dataDir.toString())
                .inheritIO()
                .start();
        assertThat(untar.waitFor(60, TimeUnit.SECONDS) && untar.exitValue() == 0)
                .as("the fixture unpacks")
                .isTrue();
        try (StandaloneProcess standalone = new StandaloneProcess(dataDir, Map.of())) {
            Duration ready = standalone.start();
            assertThat(ready).as("ready without waiting out task init timeouts").isLessThan(Duration.ofSeconds(60));
            assertThat(Files.readString(standalone.log()))
                    .contains("aborted a hanging transaction of tokenpool-processor-")
                    .contains("on __consumer_offsets-32 (producer 2, epoch 2095");
        }
    }
}
