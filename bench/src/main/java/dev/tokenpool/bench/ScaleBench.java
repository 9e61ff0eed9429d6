package dev.tokenpool.bench;

import dev.tokenpool.runtime.Directories;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scale benchmark: the standalone started by its launcher, ./tokenpool, with default settings (the
 * launcher's JVM options; scale.jvmOptions, if given, replaces them as TOKENPOOL_JAVA_OPTS does),
 * filled over Kafka with scale.tokens [10,000,000] tokens across scale.projects [100] projects; then its
 * RSS, the state directory's size and bytes per token, and the time to be ready again after a stop and
 * the deletion of the local state (everything restored from the changelogs). With scale.churnSeconds
 * [0: none] it then churns at constant pool size (500 new tokens in, the 500 oldest out, per project in
 * turn) for that long and samples RSS every 30 s, to show whether memory grows.
 */
public final class ScaleBench {
    static final String REPLIES = "tokenpool.replies.bench-scale";

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        long tokens = Long.getLong("scale.tokens", 10_000_000);
        int projects = Integer.getInteger("scale.projects", 100);
        Path dataDir = Files.createTempDirectory("tokenpool-scale");
        int http = AdminClient.freePort();
        int kafka = AdminClient.freePort();
        Process standalone = start(dataDir, http, kafka);
        try {
            long idle = rss(standalone);
            List<String> ids = new ArrayList<>();
            for (int p = 0; p < projects; p++) {
                ids.add(AdminClient.createProject(http, "scale-" + p)[0]);
            }
            String bootstrap = "127.0.0.1:" + kafka;
            long started = System.nanoTime();
            fill(bootstrap, ids, tokens);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(5_000);
            long full = rss(standalone);
            long stateBytes = size(dataDir.resolve("state"));
            stop(standalone);
            Directories.delete(dataDir.resolve("state"));
            long restartAt = System.nanoTime();
            standalone = start(dataDir, http, kafka);
            double restoreSeconds = (System.nanoTime() - restartAt) / 1e9;
            long restored = rss(standalone);
            String churn = churn(bootstrap, ids, standalone, Long.getLong("scale.churnSeconds", 0));
            System.out.printf(
                    """

                    | what | value |
                    | --- | --- |
                    | tokens / projects | %,d / %d |
                    | fill over Kafka (500-token commands) | %.0f s, %,.0f tokens/s |
                    | RSS idle, empty | %,d MB |
                    | RSS after the fill | %,d MB |
                    | state directory | %,d MB, %.0f bytes per token |
                    | ready again after deleting the state directory | %.0f s (RSS then %,d MB) |
                    %s""",
                    tokens,
                    projects,
                    fillSeconds,
                    tokens / fillSeconds,
                    idle >> 20,
                    full >> 20,
                    stateBytes >> 20,
                    (double) stateBytes / tokens,
                    restoreSeconds,
                    restored >> 20,
                    churn);
        } finally {
            stop(standalone);
            Directories.delete(dataDir);
        }
    }

    /** Adds 500 new tokens and deletes the 500 oldest, project after project, for {@code seconds}; RSS every 30 s. */
    private static String churn(String bootstrap, List<String> projectIds, Process standalone, long seconds)
            throws Exception {
        if (seconds <= 0) {
            return "";
        }
        List<Long> samples = new ArrayList<>();
        long commands = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long nextSample = System.nanoTime();
            long next = 0;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextSample) {
                    samples.add(rss(standalone) >> 20);
                    nextSample += TimeUnit.SECONDS.toNanos(30);
                }
                String project = projectIds.get((int) (commands / 2 % projectIds.size()));
                List<String> batch = new ArrayList<>(500);
                for (int i = 0; i < 500; i++) {
                    batch.add("churn-%012d".formatted(next++));
                }
                producer.send(new ProducerRecord<>(
                                "tokenpool.commands",
                                project,
                                CommandCodec.encode(CommandEnvelope.of(
                                        UUID.randomUUID().toString(), REPLIES, new PoolCommand.AddTokens(batch)))))
                        .get();
                producer.send(new ProducerRecord<>(
                                "tokenpool.commands",
                                project,
                                CommandCodec.encode(CommandEnvelope.of(
                                        UUID.randomUUID().toString(),
                                        REPLIES,
                                        new PoolCommand.DeleteByOrder(500, dev.tokenpool.schemas.Order.ASC)))))
                        .get();
                commands += 2;
                Thread.sleep(20);
            }
        }
        samples.add(rss(standalone) >> 20);
        return "| churn for %d s at constant pool size (%,d commands) | RSS every 30 s, MB: %s |%n"
                .formatted(
                        seconds,
                        commands,
                        samples.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
    }

    /** Sends add_tokens commands of 500 tokens, round robin over the projects, at most 200 unanswered at a time. */
    private static void fill(String bootstrap, List<String> projectIds, long tokens) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(REPLIES, 1, (short) 1)))
                    .all()
                    .get();
        }
        Semaphore window = new Semaphore(200);
        long commands = (tokens + 499) / 500;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap, "linger.ms", 5),
                        new StringSerializer(),
                        new ByteArraySerializer());
                KafkaConsumer<String, byte[]> replies = new KafkaConsumer<>(
                        Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            replies.assign(List.of(new TopicPartition(REPLIES, 0)));
            replies.seekToBeginning(List.of(new TopicPartition(REPLIES, 0)));
            long answered = 0;
            long failed = 0;
            long next = 0;
            for (long c = 0; c < commands; c++) {
                while (!window.tryAcquire()) {
                    for (ConsumerRecord<String, byte[]> reply : replies.poll(Duration.ofMillis(50))) {
                        answered++;
                        failed += Json.parse(reply.value()).path("status").asInt() == 200 ? 0 : 1;
                        window.release();
                    }
                }
                List<String> batch = new ArrayList<>(500);
                for (int i = 0; i < 500 && next < tokens; i++) {
                    batch.add("scale-%010d".formatted(next++));
                }
                String project = projectIds.get((int) (c % projectIds.size()));
                producer.send(new ProducerRecord<>(
                        "tokenpool.commands",
                        project,
                        CommandCodec.encode(CommandEnvelope.of(
                                UUID.randomUUID().toString(), REPLIES, new PoolCommand.AddTokens(batch)))));
                if (c % 2_000 == 0) {
                    System.err.printf("sent %,d of %,d commands, %,d answered%n", c, commands, answered);
                }
            }
            while (answered < commands) {
                for (ConsumerRecord<String, byte[]> reply : replies.poll(Duration.ofMillis(200))) {
                    answered++;
                    failed += Json.parse(reply.value()).path("status").asInt() == 200 ? 0 : 1;
                }
            }
            if (failed > 0) {
                throw new IllegalStateException(failed + " commands were refused");
            }
        }
    }

    /** Starts the standalone with the launcher, ./tokenpool, as a user would: its JVM options, its environment. */
    private static Process start(Path dataDir, int http, int kafka) throws Exception {
        Path launcher = Path.of("tokenpool").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("run this from the repository's root (bench/run does): no " + launcher);
        }
        ProcessBuilder builder = new ProcessBuilder(launcher.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("standalone.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "TOKENPOOL_DATA_DIR",
                        dataDir.toString(),
                        "TOKENPOOL_HTTP_PORT",
                        Integer.toString(http),
                        "TOKENPOOL_KAFKA_PORT",
                        Integer.toString(kafka),
                        "TOKENPOOL_KAFKA_CONTROLLER_PORT",
                        Integer.toString(AdminClient.freePort()),
                        "TOKENPOOL_ADMIN_KEY",
                        AdminClient.ADMIN_KEY));
        String jvmOptions = System.getProperty("scale.jvmOptions");
        if (jvmOptions != null) {
            builder.environment().put("TOKENPOOL_JAVA_OPTS", jvmOptions);
        }
        Process process = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "the standalone was not ready in 15 minutes; see " + dataDir.resolve("standalone.log"));
    }

    private static long rss(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }
}
