package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./tokenpool send PROJECT_ID 'COMMAND_JSON'}: produces one command record to the commands
 * topic as any Kafka producer would, waits for its result on the reply topic and prints both. Missing
 * envelope fields are filled in: version 1, a random correlationId, and replyTo
 * {@code tokenpool.replies.cli}; a reply topic that is missing is created, kept within the deleted-data bound.
 * It reaches Kafka with the standalone's own settings, so it finds the broker {@code ./tokenpool} started;
 * when no broker answers within {@link #CONNECT}, it says so in one line.
 */
public final class SendCommand {
    static final String DEFAULT_REPLY_TOPIC = Topics.REPLIES_PREFIX + "cli";
    private static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration CONNECT = Duration.ofSeconds(5);

    private SendCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ./tokenpool send PROJECT_ID 'COMMAND_JSON'");
            System.err.println(
                    "  e.g. ./tokenpool send demo '{\"type\": \"add_tokens\", \"tokenId\": [\"user001a\"]}'");
            System.exit(2);
        }
        Env env = StandaloneMain.settings(Env.system());
        try {
            int status = send(
                    KafkaConnection.from(env),
                    Settings.COMMANDS_TOPIC.from(env),
                    Settings.DELETED_DATA_RETENTION.from(env),
                    args[0],
                    args[1],
                    System.out);
            System.exit(status == 0 ? 1 : 0);
        } catch (NoBroker | IOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** No broker answered at the address. */
    static final class NoBroker extends Exception {
        NoBroker(String message) {
            super(message, null, false, false);
        }
    }

    /** Sends the command and prints it and its result; returns the result's HTTP status, or 0 when none came. */
    static int send(
            KafkaConnection kafka,
            String commandsTopic,
            Duration deletedDataBound,
            String projectId,
            String commandJson,
            PrintStream out)
            throws Exception {
        ObjectNode command = envelope(commandJson);
        String replyTo = command.path("replyTo").asText();
        String correlationId = command.path("correlationId").asText();
        Map<String, Object> adminConfig = kafka.clientConfig();
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CONNECT.toMillis());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CONNECT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            requireBroker(admin, kafka);
            Map<String, String> configs = DeletedDataBound.replies(deletedDataBound);
            KafkaTopics.createIfMissing(admin, new NewTopic(replyTo, 1, (short) -1).configs(configs));
            if (replyTo.equals(DEFAULT_REPLY_TOPIC)) {
                KafkaTopics.applyConfigs(admin, replyTo, configs); // its own topic, maybe created by an earlier version
            }
        }
        Map<String, Object> consumerConfig = kafka.clientConfig();
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> results =
                        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = results.partitionsFor(replyTo, WAIT).stream()
                    .map(p -> new TopicPartition(replyTo, p.partition()))
                    .toList();
            results.assign(partitions);
            results.seekToEnd(partitions);
            partitions.forEach(results::position);

            String value = Json.MAPPER.writeValueAsString(command);
            producer.send(new ProducerRecord<>(commandsTopic, projectId, value)).get();
            out.println("sent to " + commandsTopic + ", key " + projectId + ":");
            out.println("  " + value);

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : results.poll(Duration.ofMillis(200))) {
                    JsonNode result;
                    try {
                        result = Json.parse(
                                record.value() == null
                                        ? new byte[0]
                                        : record.value().getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        continue; // not a result: anyone allowed to write to the topic may have written anything
                    }
                    if (correlationId.equals(result.path("correlationId").asText())) {
                        out.println("result on " + replyTo + ", key " + record.key() + ":");
                        out.println("  " + record.value());
                        return result.path("status").asInt();
                    }
                }
            }
            out.println("no result on " + replyTo + " within " + WAIT.toSeconds()
                    + " s: is the processor running? (unreadable commands go to " + Topics.DEAD_LETTERS + ")");
            return 0;
        }
    }

    private static void requireBroker(Admin admin, KafkaConnection kafka) throws Exception {
        try {
            admin.describeCluster().nodes().get(CONNECT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new NoBroker(
                    "no Kafka broker answered at " + kafka.bootstrapServers() + " within " + CONNECT.toSeconds()
                            + " s: is ./tokenpool running? (TOKENPOOL_KAFKA_PORT, TOKENPOOL_BOOTSTRAP_SERVERS)");
        }
    }

    /** The command as given, with the envelope fields it lacks filled in. */
    static ObjectNode envelope(String commandJson) throws IOException {
        JsonNode parsed;
        try {
            parsed = Json.parse(commandJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("the command is not JSON: " + Json.describe(e));
        }
        if (!(parsed instanceof ObjectNode command)) {
            throw new IllegalArgumentException("the command must be a JSON object");
        }
        ObjectNode filled = Json.MAPPER.createObjectNode();
        filled.put("version", CommandEnvelope.VERSION);
        filled.put("correlationId", UUID.randomUUID().toString());
        filled.put("replyTo", DEFAULT_REPLY_TOPIC);
        filled.setAll(command);
        return filled;
    }
}
