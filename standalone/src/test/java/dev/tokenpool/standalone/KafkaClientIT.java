package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.processor.DeadLetters;
import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenDetails;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An application that is not the gateway produces commands to Kafka and reads results from its own reply topic. */
@ExtendWith(KafkaBroker.class)
class KafkaClientIT {
    static final String REPLY_TOPIC = "client-it.replies.app";
    static String project;
    static TokenPoolStack stack;
    static KafkaProducer<String, CommandEnvelope> commands;
    static KafkaProducer<String, byte[]> raw;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("client-it");
        project = stack.createProject("kafka-client", null).get("projectId").asText();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(REPLY_TOPIC, 1, (short) 1)))
                    .all()
                    .get();
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        commands = new KafkaProducer<>(
                config, new StringSerializer(), TokenPoolSerdes.command().serializer());
        raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        commands.close();
        raw.close();
        stack.close();
    }

    @Test
    void shouldSendACommandFromTheShellAndPrintItsResult() throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        String shellProject =
                stack.createProject("shell", null).get("projectId").asText();
        int status = SendCommand.send(
                KafkaConnection.to(KafkaBroker.bootstrapServers()),
                stack.name + ".commands",
                DeletedDataBound.DEFAULT,
                shellProject,
                "{\"type\": \"add_tokens\", \"replyTo\": \"client-it.replies.shell\", \"tokenId\": [\"shell-token-1\"]}",
                new java.io.PrintStream(printed, true));

        assertThat(status).as(printed.toString()).isEqualTo(200);
        assertThat(printed.toString())
                .contains("\"version\":1", "\"correlationId\":", "\"type\":\"add_tokens\"")
                .contains("result on client-it.replies.shell, key " + shellProject + ":")
                .contains("\"currentCount\":1");
    }

    @Test
    void shouldAnswerAPlainProducerOnItsOwnReplyTopic() throws Exception {
        String commandsTopic = stack.name + ".commands";
        String added = UUID.randomUUID().toString();
        commands.send(new ProducerRecord<>(
                        commandsTopic,
                        project,
                        CommandEnvelope.of(
                                added,
                                REPLY_TOPIC,
                                new PoolCommand.AddTokens(List.of("client-token-1", "client-token-2")))))
                .get();
        String looked = UUID.randomUUID().toString();
        commands.send(new ProducerRecord<>(
                        commandsTopic,
                        project,
                        CommandEnvelope.of(looked, REPLY_TOPIC, new PoolCommand.GetToken("client-token-2"))))
                .get();

        Map<String, PoolResult> results = readResults(REPLY_TOPIC, 2);
        assertThat(results.get(added).status()).isEqualTo(200);
        assertThat(results.get(added).bodyAs(AddTokensResponse.class).summary().currentCount())
                .isEqualTo(2);
        assertThat(results.get(looked).bodyAs(TokenDetails.class).tokenId()).isEqualTo("client-token-2");
    }

    @Test
    void shouldDeadLetterPoisonRecordsAndMissingReplyTopicsWithTheReason() throws Exception {
        String commandsTopic = stack.name + ".commands";
        raw.send(new ProducerRecord<>(commandsTopic, project, "{not json".getBytes(StandardCharsets.UTF_8)))
                .get();
        commands.send(new ProducerRecord<>(
                        commandsTopic,
                        project,
                        CommandEnvelope.of(
                                "c-lost",
                                "client-it.replies.no-such-topic",
                                new PoolCommand.GetToken("client-token-1"))))
                .get();
        commands.send(new ProducerRecord<>(
                        commandsTopic,
                        project,
                        CommandEnvelope.of("c-loop", commandsTopic, new PoolCommand.GetToken("client-token-1"))))
                .get();

        List<ConsumerRecord<String, byte[]>> dead = TopicReader.readAll(stack.name + ".dead-letters", 3);
        assertThat(dead)
                .extracting(r -> DeadLetters.reason(r.headers()))
                .anySatisfy(reason -> assertThat(reason).startsWith("value is not valid JSON"))
                .anySatisfy(reason -> assertThat(reason)
                        .isEqualTo("reply topic 'client-it.replies.no-such-topic' does not exist; nothing was applied"))
                .anySatisfy(reason ->
                        assertThat(reason).contains("'" + commandsTopic + "' is one of tokenpool's own topics"));
        assertThat(dead)
                .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .isEqualTo("{not json"));

        // The topology is still answering.
        String after = UUID.randomUUID().toString();
        commands.send(new ProducerRecord<>(
                        commandsTopic,
                        project,
                        CommandEnvelope.of(after, REPLY_TOPIC, new PoolCommand.GetToken("client-token-9"))))
                .get();
        assertThat(readResults(REPLY_TOPIC, 1).get(after).status()).isEqualTo(400);
    }

    private static Map<String, PoolResult> readResults(String topic, int atLeast) throws Exception {
        Map<String, PoolResult> results = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(topic, atLeast)) {
            PoolResult result = TokenPoolSerdes.result().deserializer().deserialize(topic, record.value());
            results.put(result.correlationId(), result);
        }
        return results;
    }
}
