package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.runtime.Deadline;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The project registry on a real broker: updates that never undo each other, and one order for everyone. */
@ExtendWith(KafkaBroker.class)
class ProjectRegistryIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("registry-it");
        stack.addGateway("gw-b");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A body that is sent only once {@code release} opens: the request's head reaches the server first. */
    static HttpRequest.BodyPublisher heldBack(String body, CountDownLatch release) {
        Flow.Publisher<ByteBuffer> publisher = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            boolean sent;

            public synchronized void request(long n) {
                if (sent) {
                    return;
                }
                sent = true;
                Thread.ofVirtual().start(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    subscriber.onNext(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
                    subscriber.onComplete();
                });
            }

            public void cancel() {}
        });
        return HttpRequest.BodyPublishers.fromPublisher(publisher, body.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldKeepARotatedKeyWhenAPatchStartedBeforeTheRotationSavesAfterIt() throws Exception {
        var project = stack.createProject("rotating", null);
        String id = project.get("projectId").asText();
        String oldKey = project.get("apiKey").asText();
        CountDownLatch rotated = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> patch = stack.http.sendAsync(
                HttpRequest.newBuilder(URI.create(stack.url(stack.gateway(), "/admin/projects/" + id)))
                        .header("x-admin-key", TokenPoolStack.ADMIN_KEY)
                        .method("PATCH", heldBack("{\"poolLimit\":7}", rotated))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // Give the PATCH's head time to reach the gateway (its body is held back until the key is rotated). If it
        // were late, this test could only pass without racing, never fail wrongly; AdminApiTest races it exactly.
        Thread.sleep(300);
        String newKey = stack.rotateApiKey(id);
        rotated.countDown();

        assertThat(patch.join().statusCode()).isEqualTo(200);
        assertThat(stack.getToken(newKey, "unknown-01").errorCode())
                .as("new key works")
                .isEqualTo("token_id_not_found");
        assertThat(stack.getToken(oldKey, "unknown-01").errorCode())
                .as("old key stays revoked")
                .isEqualTo("invalid_project");
        var read = stack.call(
                stack.gateway(), "GET", "/admin/projects/" + id, null, "x-admin-key", TokenPoolStack.ADMIN_KEY);
        assertThat(read.json().path("poolLimit").asLong()).isEqualTo(7);
    }

    @Test
    void shouldApplyRegistryRecordsInTopicOrderWhateverTheirClocksSay() throws Exception {
        String apiKey = ApiKeys.generate();
        String topic = stack.name + ".projects";
        String later =
                "{\"version\":1,\"projectId\":\"p-clock\",\"name\":\"clock\",\"apiKeyHash\":\"" + ApiKeys.hash(apiKey)
                        + "\",\"poolLimit\":1,\"createdAt\":\"2030-01-01T00:00:00.000Z\",\"updatedAt\":\"2030-01-01T00:00:00.000Z\"}";
        // Written second, but with an older updatedAt, and one with none at all: topic order decides.
        String second = "{\"version\":1,\"projectId\":\"p-clock\",\"name\":\"clock\",\"apiKeyHash\":\""
                + ApiKeys.hash(apiKey) + "\",\"poolLimit\":2}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "p-clock", later)).get();
            producer.send(new ProducerRecord<>(topic, "p-clock", second)).get();
        }
        for (Gateway gateway : stack.gateways) {
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> gateway.project("p-clock")
                            .map(p -> p.poolLimit() == 2)
                            .orElse(false),
                    () -> "gateway applies the later record: " + gateway.project("p-clock"));
        }
        // The processor agrees: a limit of 2 lets two tokens in and refuses a third.
        stack.awaitApiKey(stack.gateway(), apiKey);
        assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"clock-001\",\"clock-002\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"clock-003\"]}").errorCode())
                .isEqualTo("token_limit_exceeded");
    }

    /**
     * A registry written before the lookup hash kept each API key as its plain SHA-256: the owner's key still
     * works, and its first use stores the key's current hash instead, on every gateway.
     */
    @Test
    void shouldLetALegacyHashedKeyInAndStoreItsCurrentHash() throws Exception {
        String apiKey = ApiKeys.generate();
        String sha256 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        String legacy = "{\"version\":1,\"projectId\":\"p-legacy\",\"name\":\"legacy\",\"apiKeyHash\":\"" + sha256
                + "\",\"poolLimit\":10,\"createdAt\":\"2025-01-01T00:00:00.000Z\",\"updatedAt\":\"2025-01-01T00:00:00.000Z\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(stack.name + ".projects", "p-legacy", legacy))
                    .get();
        }
        stack.awaitApiKey(stack.gateway(), apiKey);
        assertThat(stack.tokens("POST", apiKey, "{\"tokenId\":[\"legacy-001\"]}")
                        .status())
                .isEqualTo(200);
        for (Gateway gateway : stack.gateways) {
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> gateway.project("p-legacy")
                            .map(p -> p.apiKeyHash().equals(ApiKeys.hash(apiKey)))
                            .orElse(false),
                    () -> "gateway holds the current hash: " + gateway.project("p-legacy"));
        }
        assertThat(stack.gateways.get(1).project("p-legacy").orElseThrow().name())
                .isEqualTo("legacy");
        assertThat(stack.call(
                                stack.gateways.get(1),
                                "GET",
                                "/v3/submission/tokens?tokenId=legacy-001",
                                null,
                                "x-api-key",
                                apiKey)
                        .status())
                .as("the key keeps working on the other gateway")
                .isEqualTo(200);
    }
}
