package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka producer that is not Java's: librdkafka, through Debian's python3-confluent-kafka
 * ({@code src/test/python/hostile_client.py}). It writes what Java's producer refuses to make: negative
 * timestamps, a key in a partition of its own choosing (librdkafka's default partitioner is not Java's), any
 * bytes at all. {@code bin/test} installs it when missing.
 */
final class HostileClient {
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("src/test/python/hostile_client.py");

    private HostileClient() {}

    /** One record as the client writes it; null fields are left to librdkafka (its partitioner, the time now). */
    record Raw(String topic, Integer partition, byte[] key, byte[] value, Long timestamp, List<Header> headers) {
        static Raw of(String topic, String key, String value) {
            return new Raw(topic, null, bytes(key), bytes(value), null, List.of());
        }

        Raw at(long timestampMillis) {
            return new Raw(topic, partition, key, value, timestampMillis, headers);
        }

        Raw in(int partitionNumber) {
            return new Raw(topic, partitionNumber, key, value, timestamp, headers);
        }
    }

    record Header(String name, byte[] value) {}

    /** What the broker took: records it refused (a timestamp too far ahead, a record too large) are {@code refused}. */
    record Outcome(int sent, int refused, JsonNode errors) {}

    static Outcome send(String bootstrap, List<Raw> records) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (Raw record : records) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("topic", record.topic());
            if (record.partition() != null) {
                line.put("partition", record.partition());
            }
            line.put("key", base64(record.key()));
            line.put("value", base64(record.value()));
            if (record.timestamp() != null) {
                line.put("timestamp", record.timestamp());
            }
            ArrayNode headers = line.putArray("headers");
            record.headers()
                    .forEach(header -> headers.addArray().add(header.name()).add(base64(header.value())));
            lines.append(Json.MAPPER.writeValueAsString(line)).append('\n');
        }
        return run(lines.toString(), "records", bootstrap);
    }

    /**
     * {@code count} random and mutated records over the commands, projects and a reply topic; records keyed by a
     * {@code protectedIds} project never carry a valid command or project record.
     */
    static Outcome fuzz(
            String bootstrap,
            long seed,
            int count,
            String commands,
            String projects,
            String replies,
            String replyTo,
            List<String> protectedIds)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "fuzz", bootstrap, Long.toString(seed), Integer.toString(count), commands, projects, replies, replyTo));
        args.addAll(protectedIds);
        return run("", args.toArray(String[]::new));
    }

    private static Outcome run(String input, String... args) throws Exception {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the librdkafka client failed: " + new String(out, StandardCharsets.UTF_8));
        }
        JsonNode outcome = Json.parse(out);
        return new Outcome(outcome.path("sent").asInt(), outcome.path("refused").asInt(), outcome.path("errors"));
    }

    private static void requireInstalled() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))
                || new ProcessBuilder(PYTHON, "-c", "import confluent_kafka")
                                .start()
                                .waitFor()
                        != 0) {
            throw new IllegalStateException("the hostile-input tests write records with librdkafka, from Debian's "
                    + "python3-confluent-kafka under " + PYTHON + ": run bin/test (it installs it), or apt-get install "
                    + "python3-confluent-kafka");
        }
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
