package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.gateway.MasterKeys;
import dev.tokenpool.processor.ProcessorService;
import dev.tokenpool.processor.ProcessorSettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * tokenpool on a broker that authenticates (SASL/PLAIN) and authorizes (Kafka's StandardAuthorizer, nothing
 * allowed without an ACL), with exactly the ACLs of the security docs, on tokenpool's default topic names: the
 * processor and the gateway run with theirs, an application with its own writes commands and reads its results,
 * and cannot write to the projects topic, a gateway's reply topic or a changelog.
 */
class AclsIT {
    static final Path DOCS = Path.of("..", "docs", "security.md");
    static final String APPLICATION_ID = "tokenpool-processor";

    /** One line of the docs: {@code kafka-acls.sh … --allow-principal User:P --operation O … --topic T}. */
    record Acl(String principal, ResourceType type, PatternType pattern, String name, List<AclOperation> operations) {
        String command() {
            StringBuilder line = new StringBuilder(
                    "kafka-acls.sh --bootstrap-server \"$BROKERS\" --command-config admin.properties --add"
                            + " --allow-principal User:" + principal);
            operations.forEach(op -> line.append(" --operation ").append(camel(op)));
            line.append(
                            switch (type) {
                                case TOPIC -> " --topic ";
                                case GROUP -> " --group ";
                                case TRANSACTIONAL_ID -> " --transactional-id ";
                                default -> throw new IllegalArgumentException(type.toString());
                            })
                    .append(name);
            if (pattern == PatternType.PREFIXED) {
                line.append(" --resource-pattern-type prefixed");
            }
            return line.toString();
        }

        List<AclBinding> bindings() {
            return operations.stream()
                    .map(op -> new AclBinding(
                            new ResourcePattern(type, name, pattern),
                            new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)))
                    .toList();
        }

        private static String camel(AclOperation op) {
            return String.join(
                    "",
                    java.util.Arrays.stream(op.name().split("_"))
                            .map(word -> word.charAt(0) + word.substring(1).toLowerCase())
                            .toList());
        }
    }

    static final List<AclOperation> READ = List.of(AclOperation.READ, AclOperation.DESCRIBE);
    static final List<AclOperation> WRITE = List.of(AclOperation.WRITE, AclOperation.DESCRIBE);

    /** The ACLs of a deployment with the default names: processor, gateway, and an application called app-1. */
    static final List<Acl> ACLS = List.of(
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.commands",
                    List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.projects",
                    List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.dead-letters",
                    List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.events",
                    List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.audit",
                    List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl("processor", ResourceType.TOPIC, PatternType.PREFIXED, "tokenpool.replies.", WRITE),
            new Acl("processor", ResourceType.TOPIC, PatternType.PREFIXED, "tokenpool.gateway-replies.", WRITE),
            new Acl(
                    "processor",
                    ResourceType.TOPIC,
                    PatternType.PREFIXED,
                    APPLICATION_ID + "-",
                    List.of(AclOperation.ALL)),
            new Acl("processor", ResourceType.GROUP, PatternType.LITERAL, APPLICATION_ID, READ),
            new Acl("processor", ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, APPLICATION_ID + "-", WRITE),
            new Acl("gateway", ResourceType.TOPIC, PatternType.LITERAL, "tokenpool.commands", WRITE),
            new Acl(
                    "gateway",
                    ResourceType.TOPIC,
                    PatternType.LITERAL,
                    "tokenpool.projects",
                    List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl(
                    "gateway",
                    ResourceType.TOPIC,
                    PatternType.PREFIXED,
                    "tokenpool.gateway-replies.",
                    List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.ALTER_CONFIGS)),
            new Acl("gateway", ResourceType.TOPIC, PatternType.LITERAL, "tokenpool.events", READ),
            new Acl(
                    "gateway",
                    ResourceType.TOPIC,
                    PatternType.PREFIXED,
                    "tokenpool.webhooks.",
                    List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)),
            new Acl("gateway", ResourceType.GROUP, PatternType.LITERAL, "tokenpool-webhooks", READ),
            new Acl("app-1", ResourceType.TOPIC, PatternType.LITERAL, "tokenpool.commands", WRITE),
            new Acl(
                    "app-1",
                    ResourceType.TOPIC,
                    PatternType.PREFIXED,
                    "tokenpool.replies.app-1.",
                    List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE)));

    @Test
    void shouldListTheseAclsInTheDocs() throws Exception {
        String docs = Files.readString(DOCS);
        assertThat(ACLS).allSatisfy(acl -> assertThat(docs).contains(acl.command()));
    }

    @Test
    void shouldRunWithItsAclsAndKeepAnApplicationToItsOwn() throws Exception {
        int internal = KafkaBroker.freePort();
        int clients = KafkaBroker.freePort();
        String users = "user_admin=\"admin-secret\" user_processor=\"processor-secret\" user_gateway=\"gateway-secret\""
                + " user_app-1=\"app-secret\"";
        Map<String, String> broker = new HashMap<>(Map.of(
                "listeners",
                "INTERNAL://127.0.0.1:" + internal + ",CLIENTS://127.0.0.1:" + clients
                        + ",CONTROLLER://127.0.0.1:%CONTROLLER%",
                "advertised.listeners",
                "INTERNAL://127.0.0.1:" + internal + ",CLIENTS://127.0.0.1:" + clients,
                "listener.security.protocol.map",
                "INTERNAL:PLAINTEXT,CLIENTS:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name",
                "INTERNAL",
                "sasl.enabled.mechanisms",
                "PLAIN",
                "listener.name.clients.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required " + users + ";",
                "authorizer.class.name",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // The broker's own listeners (inter-broker, controller) are not SASL here: their principal is
                // ANONYMOUS.
                "super.users",
                "User:admin;User:ANONYMOUS"));
        int controller = KafkaBroker.freePort();
        broker.replaceAll((name, value) -> value.replace("%CONTROLLER%", Integer.toString(controller)));
        String bootstrap = "127.0.0.1:" + clients;
        try (EmbeddedKafka kafka =
                        EmbeddedKafka.start(DataDirs.dir("tokenpool-acls-kafka"), internal, controller, broker);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<AclBinding> bindings = new ArrayList<>();
            ACLS.forEach(acl -> bindings.addAll(acl.bindings()));
            admin.createAcls(bindings).all().get();

            Map<String, String> env = new HashMap<>();
            env.put("TOKENPOOL_BOOTSTRAP_SERVERS", bootstrap);
            env.put("TOKENPOOL_COMMAND_PARTITIONS", "2");
            env.put("TOKENPOOL_STATE_DIR", DataDirs.dir("tokenpool-acls-state").toString());
            env.put(
                    "TOKENPOOL_KAFKA_PROPERTIES",
                    properties("processor", "processor-secret").toString());
            env.put("TOKENPOOL_INSTANCE_ID", "acl-processor-1");
            try (ProcessorService processor = ProcessorService.start(
                    ProcessorSettings.fromEnv(env), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                env.put(
                        "TOKENPOOL_KAFKA_PROPERTIES",
                        properties("gateway", "gateway-secret").toString());
                env.put("TOKENPOOL_ADMIN_KEY", "acl-admin-key");
                env.put("TOKENPOOL_GATEWAY_ID", "gw-1");
                env.put("TOKENPOOL_HTTP_PORT", "0");
                env.put(MasterKeys.VARIABLE, MasterKeys.generate());
                try (Gateway gateway = Gateway.start(
                        GatewaySettings.fromEnv(env), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                    processor.awaitRunning(Duration.ofMinutes(1));
                    HttpClient http = HttpClient.newHttpClient();
                    String base = "http://localhost:" + gateway.port();
                    JsonNode project = Json.parse(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/admin/projects"))
                                            .header("x-admin-key", "acl-admin-key")
                                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"acl\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .body());
                    String apiKey = project.path("apiKey").asText();
                    String projectId = project.path("projectId").asText();
                    int[] status = {0};
                    Deadline.await(
                            Duration.ofSeconds(30),
                            () -> {
                                status[0] = http.send(
                                                HttpRequest.newBuilder(URI.create(base + "/v3/submission/tokens"))
                                                        .header("x-api-key", apiKey)
                                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                                "{\"tokenId\":[\"acl-token-01\"]}"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .statusCode();
                                return status[0] == 200;
                            },
                            () -> "tokenpool answers with its ACLs (last status " + status[0] + ")");

                    Map<String, Object> app = new HashMap<>(Map.of("bootstrap.servers", bootstrap));
                    app.putAll(saslClient("app-1", "app-secret"));
                    String replies = "tokenpool.replies.app-1.results";
                    try (Admin appAdmin = Admin.create(app)) {
                        appAdmin.createTopics(List.of(new NewTopic(replies, 1, (short) 1)))
                                .all()
                                .get();
                    }
                    assertThat(resultOf(app, replies, projectId))
                            .as("an application writes commands and reads its results")
                            .isEqualTo(200);

                    try (KafkaProducer<String, String> producer =
                            new KafkaProducer<>(app, new StringSerializer(), new StringSerializer())) {
                        for (String forbidden : List.of(
                                "tokenpool.projects",
                                "tokenpool.gateway-replies.gw-1",
                                APPLICATION_ID + "-pool-tokens-changelog",
                                "tokenpool.audit")) {
                            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(forbidden, projectId, "{}"))
                                            .get())
                                    .as(forbidden)
                                    .satisfies(refused -> assertThat(refused instanceof TopicAuthorizationException
                                                    || refused instanceof ExecutionException
                                                            && refused.getCause()
                                                                    instanceof TopicAuthorizationException)
                                            .isTrue());
                        }
                    }
                }
            }
        }
    }

    /** Sends one count_tokens command as the application and waits for its result's status. */
    static int resultOf(Map<String, Object> app, String replies, String projectId) throws Exception {
        Map<String, Object> consumerConfig = new HashMap<>(app);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(app, new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(replies, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            producer.send(new ProducerRecord<>(
                            "tokenpool.commands",
                            projectId,
                            "{\"version\":1,\"type\":\"count_tokens\","
                                    + "\"correlationId\":\"acl-count\",\"replyTo\":\"" + replies + "\"}"))
                    .get();
            int[] status = {0};
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            status[0] = Json.parse(record.value().getBytes(StandardCharsets.UTF_8))
                                    .path("status")
                                    .asInt();
                        }
                        return status[0] != 0;
                    },
                    () -> "the application's result on " + replies);
            return status[0];
        }
    }

    static Map<String, String> saslClient(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    /** A TOKENPOOL_KAFKA_PROPERTIES file for {@code user}. */
    static Path properties(String user, String password) throws Exception {
        Path file = DataDirs.file("tokenpool-acls-" + user, ".properties");
        StringBuilder text = new StringBuilder();
        saslClient(user, password)
                .forEach((name, value) ->
                        text.append(name).append('=').append(value).append('\n'));
        Files.writeString(file, text.toString());
        return file;
    }
}
