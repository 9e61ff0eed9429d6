package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./tokenpool send PROJECT_ID 'COMMAND_JSON'}: produces one command record to the commands
 * topic as any Kafka producer would, waits for its result on the reply topic and prints both. Missing
 * envelope fields are filled in: version 1, a random correlationId, and replyTo
 * {@code tokenpool.replies.cli} (created when missing). Kafka: TOKENPOOL_BOOTSTRAP_SERVERS
 * [localhost:9092], TOKENPOOL_COMMANDS_TOPIC [tokenpool.commands].
 */
public final class SendCommand {
    static final String DEFAULT_REPLY_TOPIC = Topics.REPLIES_PREFIX + "cli";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private SendCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ./tokenpool send PROJECT_ID 'COMMAND_JSON'");
            System.err.println("  e.g. ./tokenpool send demo '{\"type\": \"add_tokens\", \"tokenId\": [\"user001a\"]}'");
            System.exit(2);
        }
        Env env = Env.system();
        int status = send(env.text("TOKENPOOL_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.text("TOKENPOOL_COMMANDS_TOPIC", Topics.COMMANDS), args[0], args[1], System.out);
        System.exit(status == 0 ? 1 : 0);
    }

    /** Sends the command and prints it and its result; returns the result's HTTP status, or 0 when none came. */
    static int send(String bootstrap, String commandsTopic, String projectId, String commandJson, PrintStream out)
            throws Exception {
        ObjectNode command = envelope(commandJson);
        String replyTo = command.path("replyTo").asText();
        String correlationId = command.path("correlationId").asText();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaTopics.createIfMissing(admin, new NewTopic(replyTo, 1, (short) -1));
        }
        try (KafkaConsumer<String, String> results = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = results.partitionsFor(replyTo, WAIT).stream()
                    .map(p -> new TopicPartition(replyTo, p.partition())).toList();
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
                    JsonNode result = Json.parse(record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

    /** The command as given, with the envelope fields it lacks filled in. */
    static ObjectNode envelope(String commandJson) throws IOException {
        if (!(Json.parse(commandJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) instanceof ObjectNode command)) {
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
