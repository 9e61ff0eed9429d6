package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.runtime.KafkaTopics;
import dev.tokenpool.schemas.ProjectRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the gateway answers when the answer does not come: timeouts, overload, Kafka gone. */
@ExtendWith(KafkaBroker.class)
class GatewayFailureIT {
    static final String UNREAD_COMMANDS = "failure-it.unread-commands";
    static TokenPoolStack stack;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("failure-it");
        key = stack.createProject("failures", null).get("apiKey").asText();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A gateway publishing to a topic of its own that no processor reads: no command of it is ever answered. */
    static Gateway unanswered(String id, Duration timeout, int maxInFlight) throws Exception {
        Map<String, String> env = new HashMap<>(stack.env);
        env.put("TOKENPOOL_COMMANDS_TOPIC", UNREAD_COMMANDS + "." + id);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            KafkaTopics.createIfMissing(admin, new NewTopic(UNREAD_COMMANDS + "." + id, 1, (short) 1));
        }
        env.put("TOKENPOOL_REQUEST_TIMEOUT_MS", Long.toString(timeout.toMillis()));
        env.put("TOKENPOOL_MAX_IN_FLIGHT", Integer.toString(maxInFlight));
        Gateway gateway = stack.addGateway(id, env);
        stack.awaitApiKey(gateway, key);
        return gateway;
    }

    @Test
    void shouldBeReadyOnlyWhileCommandsAreAnswered() throws Exception {
        Gateway answered = stack.gateway();
        Deadline.await(
                Duration.ofSeconds(20), answered::isReady, () -> "a gateway with a processor behind it is ready");
        Gateway unanswered = unanswered("lonely", Duration.ofMillis(500), 100);
        var health = stack.call(unanswered, "GET", "/health/ready", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().path("checks").path("processor").asText()).isEqualTo("DOWN");
        assertThat(health.json().path("checks").path("projectRegistry").asText())
                .isEqualTo("UP");
    }

    /**
     * A gateway that starts before any processor must not create the commands topic (a broker with
     * auto-creation on would give it one partition for good): it answers 503, nothing sent, until the
     * processor has created the topic with its partition count.
     */
    @Test
    void shouldNeverCreateTheCommandsTopicItself() throws Exception {
        String topic = "failure-it.created-by-its-processor";
        Map<String, String> env = new HashMap<>(stack.env);
        env.put("TOKENPOOL_COMMANDS_TOPIC", topic);
        env.put("TOKENPOOL_REQUEST_TIMEOUT_MS", "500");
        Gateway early = stack.addGateway("early", env);
        stack.awaitApiKey(early, key);
        var refused = stack.tokens(early, "POST", key, "{\"tokenId\":[\"early-01\"]}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("service_unavailable");
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get())
                    .as("neither the request nor the readiness probe created it")
                    .doesNotContain(topic);
            KafkaTopics.createIfMissing(admin, new NewTopic(topic, 3, (short) 1)); // as the processor does
            var sent = stack.tokens(early, "POST", key, "{\"tokenId\":[\"early-02\"]}");
            assertThat(sent.status())
                    .as("sent now; no processor reads this topic, so no result comes")
                    .isEqualTo(504);
            assertThat(admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions())
                    .hasSize(3);
        }
    }

    /** Probes go out when someone asks whether the gateway is ready, never on their own: an idle deployment sends nothing. */
    @Test
    void shouldProbeTheProcessorOnlyWhenAskedIfReady() throws Exception {
        String topic = UNREAD_COMMANDS + ".quiet";
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            KafkaTopics.createIfMissing(admin, new NewTopic(topic, 1, (short) 1));
        }
        Map<String, String> env = new HashMap<>(stack.env);
        env.put("TOKENPOOL_COMMANDS_TOPIC", topic);
        env.put("TOKENPOOL_REQUEST_TIMEOUT_MS", "500");
        Gateway quiet = stack.addGateway("quiet", env);
        Thread.sleep(5_000); // idle, and nobody asks
        assertThat(TopicReader.readAll(topic, 0))
                .as("nothing sent by an idle gateway")
                .isEmpty();

        var health = stack.call(quiet, "GET", "/health/ready", null);
        assertThat(health.status()).as("no processor reads this topic").isEqualTo(503);
        assertThat(health.json().path("checks").path("processor").asText()).isEqualTo("DOWN");
        assertThat(TopicReader.readAll(topic, 1))
                .as("one probe, for the one check")
                .extracting(record -> record.key())
                .containsExactly("tokenpool.readiness-probe");
    }

    @Test
    void shouldAnswer504RequestTimeoutWhenNoResultComesInTime() throws Exception {
        Gateway gateway = unanswered("slow", Duration.ofMillis(500), 100);
        var answer = stack.tokens(gateway, "POST", key, "{\"tokenId\":[\"timeout-01\"]}");
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.errorCode()).isEqualTo("request_timeout");
        assertThat(answer.json().path("errorMessage").asText()).contains("may still be applied");
    }

    @Test
    void shouldAnswer503WithRetryAfterPastTheInFlightBound() throws Exception {
        Gateway gateway = unanswered("busy", Duration.ofSeconds(5), 1);
        HttpRequest first = HttpRequest.newBuilder(URI.create(stack.url(gateway, "/v3/submission/tokens")))
                .header("x-api-key", key)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"busy-0001\"]}"))
                .build();
        CompletableFuture<HttpResponse<String>> waiting =
                stack.http.sendAsync(first, HttpResponse.BodyHandlers.ofString());
        // The first command is in flight once it is on the (unread) commands topic.
        TopicReader.readAll(UNREAD_COMMANDS + ".busy", 1);
        var refused = stack.tokens(gateway, "POST", key, "{\"tokenId\":[\"busy-0002\"]}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("service_unavailable");
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
        assertThat(waiting.join().statusCode()).isEqualTo(504);
    }

    /**
     * Kafka gone: a send the producer could not even route is refused at once (503). If the gateway still
     * knew the topic's partitions (its readiness probe sends every 2 s), the first send times out instead,
     * and that request is answered 504 (the broker might have written it); the timed-out send opens the
     * send circuit, and from then on commands are refused at once with 503, nothing sent.
     */
    @Test
    void shouldAnswer503WhenKafkaIsUnreachable() throws Exception {
        EmbeddedKafka doomed = KafkaBroker.inJvmBroker();
        Map<String, String> env = new HashMap<>(stack.env);
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", doomed.bootstrapServers());
        env.put("TOKENPOOL_HTTP_PORT", "0");
        env.put("TOKENPOOL_GATEWAY_ID", "doomed");
        GatewaySettings settings = GatewaySettings.fromEnv(env);
        try (Gateway gateway = Gateway.start(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            String apiKey = ApiKeys.generate();
            gateway.saveProject(ProjectRecord.create("doomed", "doomed", ApiKeys.hash(apiKey), 10));
            doomed.close();

            List<Integer> statuses = new ArrayList<>();
            Deadline.await(
                    Duration.ofSeconds(40),
                    () -> {
                        var answer = stack.tokens(gateway, "POST", apiKey, "{\"tokenId\":[\"doomed-001\"]}");
                        statuses.add(answer.status());
                        if (answer.status() != 503) {
                            return false;
                        }
                        assertThat(answer.errorCode()).isEqualTo("service_unavailable");
                        assertThat(answer.raw().headers().firstValue("Retry-After"))
                                .isPresent();
                        return true;
                    },
                    () -> "a 503 once Kafka is gone; answers so far: " + statuses);
            assertThat(statuses.subList(0, statuses.size() - 1))
                    .as("answers before the first 503")
                    .allMatch(s -> s == 504);
            assertThat(statuses.size()).as("requests until the first 503").isLessThanOrEqualTo(3);

            long started = System.nanoTime();
            var refused = stack.tokens(gateway, "POST", apiKey, "{\"tokenId\":[\"doomed-002\"]}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("refused at once, not after a timeout")
                    .isLessThan(settings.requestTimeout());
            var health = stack.call(gateway, "GET", "/health/ready", null);
            assertThat(health.json().path("checks").path("kafka").asText()).isEqualTo("DOWN");
        }
    }
}
