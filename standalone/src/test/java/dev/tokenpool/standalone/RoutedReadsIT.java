package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.gateway.GatewaySettings;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.ProjectRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateways apart from the processors, reads routed to the processor instance that holds the pool: two processors
 * in JVMs of their own and two gateways on the test broker. Every read is right and never older than the
 * client's own write through that gateway — also while the owner is killed and its partitions move, when reads
 * go through Kafka until the new owner is known.
 */
@ExtendWith(KafkaBroker.class)
class RoutedReadsIT {
    private static final String NAME = "routed-reads-it";
    private static final String INTERNAL_KEY = "routed-reads-it-internal-key";
    private static final int PARTITIONS = 4;

    static ProcessorProcess first;
    static ProcessorProcess second;
    static Gateway gatewayA;
    static Gateway gatewayB;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = new HashMap<>(TokenPoolStack.ownTopics(NAME));
        env.put("TOKENPOOL_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
        env.put("TOKENPOOL_APPLICATION_ID", NAME);
        env.put("TOKENPOOL_COMMAND_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("TOKENPOOL_INTERNAL_KEY", INTERNAL_KEY);
        env.put("TOKENPOOL_SESSION_TIMEOUT_MS", "6000");
        env.put("TOKENPOOL_TRANSACTION_TIMEOUT_MS", "5000");
        env.put("TOKENPOOL_STANDBY_REPLICAS", "1");
        first = new ProcessorProcess(env, NAME + "-first");
        second = new ProcessorProcess(env, NAME + "-second");
        first.start();
        second.start();
        first.awaitRunning();
        second.awaitRunning();
        env.put("TOKENPOOL_PROCESSOR_URLS", first.url() + "," + second.url());
        env.put("TOKENPOOL_REQUEST_TIMEOUT_MS", "30000");
        gatewayA = gateway(env, "a");
        gatewayB = gateway(env, "b");
    }

    private static Gateway gateway(Map<String, String> env, String id) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        own.put("TOKENPOOL_HTTP_PORT", "0");
        own.put("TOKENPOOL_ADMIN_KEY", "admin");
        own.put("TOKENPOOL_GATEWAY_ID", NAME + "-" + id);
        Gateway gateway =
                Gateway.start(GatewaySettings.fromEnv(own), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Deadline.await(Duration.ofSeconds(60), gateway::isReady, () -> "gateway " + id + " ready");
        return gateway;
    }

    @AfterAll
    static void stop() throws Exception {
        gatewayA.close();
        gatewayB.close();
        first.close();
        second.close();
    }

    /** A project of its own, served by both gateways; returns its API key. */
    private static String project(String projectId) throws Exception {
        String apiKey = ApiKeys.generate();
        gatewayA.saveProject(ProjectRecord.create(projectId, projectId, ApiKeys.hash(apiKey), 1_000_000));
        for (Gateway gateway : List.of(gatewayA, gatewayB)) {
            Deadline.await(
                    Duration.ofSeconds(30),
                    () -> call(gateway, "GET", "?type=count", apiKey, null).statusCode() == 200,
                    () -> projectId + " served");
        }
        return apiKey;
    }

    private static HttpResponse<String> call(Gateway gateway, String method, String query, String apiKey, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + gateway.port() + "/v3/submission/tokens" + query))
                        .timeout(Duration.ofSeconds(60))
                        .header("x-api-key", apiKey)
                        .header("Content-Type", "text/plain")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(Gateway gateway, String apiKey) throws Exception {
        HttpResponse<String> answer = call(gateway, "GET", "?type=count", apiKey, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body().getBytes()).path("count").asLong();
    }

    private static double reads(Gateway gateway, String path) throws Exception {
        return reads("http://127.0.0.1:" + gateway.port(), path);
    }

    /** How many reads the gateway at {@code gatewayUrl} answered by {@code path}: local, routed or kafka. */
    static double reads(String gatewayUrl, String path) throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(gatewayUrl + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher value = Pattern.compile("(?m)^tokenpool_gateway_reads_total\\{[^}]*path=\"" + path + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    @Test
    void shouldAnswerReadsFromTheProcessorThatHoldsThePoolAndReadOwnWrites() throws Exception {
        String apiKey = project("routed-1");
        double routedBefore = reads(gatewayA, "routed");
        for (int i = 1; i <= 40; i++) {
            String token = "routed-token-%04d".formatted(i);
            assertThat(call(gatewayA, "POST", "", apiKey, "{\"tokenId\":[\"" + token + "\"]}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(count(gatewayA, apiKey))
                    .as("the count right after the write")
                    .isEqualTo(i);
            JsonNode looked = Json.parse(call(gatewayA, "GET", "?tokenId=" + token, apiKey, null)
                    .body()
                    .getBytes());
            assertThat(looked.path("tokenId").asText()).isEqualTo(token);
        }
        JsonNode list =
                Json.parse(call(gatewayA, "GET", "", apiKey, null).body().getBytes());
        assertThat(list.path("data")).hasSize(40);
        assertThat(reads(gatewayA, "routed") - routedBefore)
                .as("of the 81 reads, those answered by the owner over HTTP, not through Kafka (a read the owner "
                        + "cannot answer within 100 ms goes through Kafka)")
                .isGreaterThan(60);
        assertThat(call(gatewayB, "GET", "?tokenId=routed-token-0040", apiKey, null)
                        .statusCode())
                .as("the other gateway reads it too")
                .isEqualTo(200);
    }

    @Test
    void shouldAnswerEveryReadRightWhileTheOwnerIsKilled() throws Exception {
        String projectId = "routed-2";
        String apiKey = project(projectId);
        int partition = Utils.toPositive(Utils.murmur2(projectId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
        String owner = owners(first).get(Integer.toString(partition)).asText();
        ProcessorProcess victim = owner.endsWith(":" + URI.create(first.url()).getPort()) ? first : second;
        long written = 0;
        long killedAt = 0;
        for (int i = 1; i <= 120; i++) {
            if (i == 20) {
                victim.kill9();
                killedAt = System.nanoTime();
            }
            String token = "moving-token-%04d".formatted(i);
            HttpResponse<String> added = call(gatewayA, "POST", "", apiKey, "{\"tokenId\":[\"" + token + "\"]}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            written++;
            assertThat(count(gatewayA, apiKey))
                    .as("read %d, %.1f s after the kill", i, (System.nanoTime() - killedAt) / 1e9)
                    .isEqualTo(written);
        }
        double routedAfter = reads(gatewayA, "routed");
        for (int i = 0; i < 20; i++) {
            assertThat(count(gatewayA, apiKey)).isEqualTo(written);
        }
        assertThat(reads(gatewayA, "routed"))
                .as("routed again to the instance that took the partition over")
                .isGreaterThan(routedAfter);
        victim.start();
        victim.awaitRunning();
    }

    @Test
    void shouldAnswerInternalReadsOnlyToACallerWithTheInternalKey() throws Exception {
        for (String key : new String[] {null, "wrong"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(first.url() + "/internal/v1/partitions"));
            if (key != null) {
                request.header("x-internal-key", key);
            }
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
        }
        assertThat(owners(first).size()).as("every partition has an owner").isEqualTo(PARTITIONS);
    }

    private static JsonNode owners(ProcessorProcess processor) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(processor.url() + "/internal/v1/partitions"))
                        .header("x-internal-key", INTERNAL_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body().getBytes()).path("partitions");
    }
}
