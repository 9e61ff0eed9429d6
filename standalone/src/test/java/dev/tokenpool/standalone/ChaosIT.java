package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * kill -9 under load, again and again on one data directory: no acknowledged write is lost, no
 * acknowledged delete comes back, no token appears that no request sent; after a clean stop nothing is
 * rebuilt from the changelogs; after a kill -9 the stores keep what RocksDB had flushed and only the
 * changelog tail since is replayed (transactional state stores). The report says how many records and
 * how long. The short version runs in {@code ./mvnw verify}; {@code -Dchaos.crashes=10
 * -Dchaos.loadSeconds=20 -Dchaos.clients=32} makes it longer, {@code -Dchaos.fill=1000000} bigger (see
 * docs/operations.md).
 */
class ChaosIT {
    static final int CRASHES = Integer.getInteger("chaos.crashes", 2);
    static final int LOAD_SECONDS = Integer.getInteger("chaos.loadSeconds", 4);
    static final int CLIENTS = Integer.getInteger("chaos.clients", 8);
    /** Tokens put in the pool before the first crash, to see how recovery grows with the state (0: none). */
    static final int FILL = Integer.getInteger("chaos.fill", 100_000);
    /**
     * RocksDB memory of the standalone: small enough that the fill flushes memtables to disk, as a pool of
     * production size does, so a crash has local state worth keeping.
     */
    static final int ROCKSDB_MEMORY_MB = Integer.getInteger("chaos.rocksdbMemoryMb", 16);
    /**
     * Whether the fill outgrows the memtables (a quarter of the RocksDB memory), so RocksDB has flushed
     * state to disk before the first crash: measured, 100k tokens flush at 16 MB, and 1M do at 128 MB
     * while 100k do not (a crash before any flush replays the whole changelog, rightly).
     */
    static final boolean FILL_FLUSHED = FILL >= ROCKSDB_MEMORY_MB * 2_500;

    @Test
    void shouldLoseNoAcknowledgedWriteAndInventNoTokenAcrossCrashes() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-chaos").resolve("data");
        List<String> report = new ArrayList<>();
        try (StandaloneProcess standalone = new StandaloneProcess(
                dataDir,
                StandaloneProcess.env(
                        "TOKENPOOL_HTTP_READ_TIMEOUT_MS",
                        "2000",
                        "TOKENPOOL_ROCKSDB_MEMORY_MB",
                        String.valueOf(ROCKSDB_MEMORY_MB)))) {
            Duration firstStart = standalone.start();
            report.add("fresh start: ready after " + seconds(firstStart));
            String apiKey = standalone.demoApiKey();
            Ledger ledger = new Ledger();
            long filled = fill(standalone, apiKey);
            if (FILL > 0) {
                report.add("filled the pool with " + filled + " tokens");
            }

            for (int crash = 1; crash <= CRASHES; crash++) {
                try (PoolLoad load = new PoolLoad(standalone.url("/v3/submission/tokens"), apiKey, ledger, CLIENTS)) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(LOAD_SECONDS * 500L, LOAD_SECONDS * 1000L));
                    standalone.kill9();
                }
                Duration recovery = standalone.start();
                long restored = standalone.restoredSinceLastStart();
                PoolCheck.Result check = PoolCheck.run(standalone.url("/v3/submission/tokens"), apiKey, ledger, filled);
                long hanging = standalone.hangingTransactionsAbortedSinceLastStart();
                report.add("kill -9 #" + crash + ": ready after " + seconds(recovery) + ", " + restored
                        + " changelog records restored"
                        + (hanging == 0 ? "" : ", " + hanging + " hanging transaction(s) aborted")
                        + "; pool " + check.present() + " tokens, lost "
                        + check.lost().size()
                        + ", came back " + check.resurrected().size() + ", phantom " + check.phantoms());
                assertThat(check.lost())
                        .as("acknowledged adds missing after crash %d", crash)
                        .isEmpty();
                assertThat(check.resurrected())
                        .as("acknowledged deletes undone by crash %d", crash)
                        .isEmpty();
                assertThat(check.phantoms())
                        .as("tokens nobody sent, after crash %d", crash)
                        .isZero();
                assertThat(ledger.lostOnDelete)
                        .as("acknowledged tokens a later delete did not find")
                        .isEmpty();
                if (FILL_FLUSHED) {
                    assertThat(standalone.restoreStartOffsets("pool-tokens"))
                            .as(
                                    "the token store kept its flushed state across kill -9 #%d: only the changelog tail is replayed",
                                    crash)
                            .isNotEmpty()
                            .allMatch(offset -> offset > 0);
                }
            }

            assertThat(standalone.stop()).as("exit status after SIGTERM").isIn(0, 143);
            Duration afterStop = standalone.start();
            long restoredAfterStop = standalone.restoredSinceLastStart();
            PoolCheck.Result check = PoolCheck.run(standalone.url("/v3/submission/tokens"), apiKey, ledger, filled);
            report.add("SIGTERM, restart: ready after " + seconds(afterStop) + ", " + restoredAfterStop
                    + " changelog records restored; pool " + check.present() + " tokens, lost "
                    + check.lost().size()
                    + ", phantom " + check.phantoms());
            assertThat(restoredAfterStop)
                    .as("a clean stop keeps the local state: nothing is rebuilt")
                    .isZero();
            assertThat(check.lost()).isEmpty();
            assertThat(check.phantoms()).isZero();
            report.add(ledger.requests.get() + " requests, " + ledger.acknowledged.get() + " acknowledged, "
                    + ledger.snapshot().size() + " token IDs sent, " + CLIENTS + " clients");
        } finally {
            String text = String.join("\n", report) + "\n";
            System.out.print(text);
            Files.writeString(Path.of("target/chaos-report.txt"), text, StandardCharsets.UTF_8);
        }
    }

    /** Raises the demo pool's limit and adds FILL tokens, 500 a request from 8 clients; returns how many were acknowledged. */
    private static long fill(StandaloneProcess standalone, String apiKey) throws Exception {
        if (FILL == 0) {
            return 0;
        }
        HttpClient http = HttpClient.newHttpClient();
        var patched = http.send(
                HttpRequest.newBuilder(standalone.url("/admin/projects/demo"))
                        .header("x-admin-key", StandaloneProcess.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"poolLimit\":10000000}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        // The processor reads the new limit from the registry within moments.
        Deadline.await(
                Duration.ofSeconds(30),
                () -> http.send(
                                        HttpRequest.newBuilder(standalone.url("/v3/submission/tokens"))
                                                .header("x-api-key", apiKey)
                                                .method(
                                                        "DELETE",
                                                        HttpRequest.BodyPublishers.ofString(
                                                                "{\"tokenId\":[\"limit-probe\"]}"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200,
                () -> "the pool answers");
        AtomicLong acknowledged = new AtomicLong();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> requests = new ArrayList<>();
            for (int start = 0; start < FILL; start += 500) {
                int first = start;
                requests.add(pool.submit(() -> {
                    StringBuilder ids = new StringBuilder();
                    for (int i = first; i < Math.min(first + 500, FILL); i++) {
                        ids.append(i == first ? "" : ",")
                                .append("\"fill-")
                                .append(String.format("%08d", i))
                                .append('"');
                    }
                    var answer = http.send(
                            HttpRequest.newBuilder(standalone.url("/v3/submission/tokens"))
                                    .header("x-api-key", apiKey)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[" + ids + "]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    acknowledged.addAndGet(Math.min(first + 500, FILL) - first);
                    return null;
                }));
            }
            for (var request : requests) {
                request.get();
            }
        }
        return acknowledged.get();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
