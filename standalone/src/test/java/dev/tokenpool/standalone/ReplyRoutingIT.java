package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With two gateways on one processor, each gateway's reply topic holds the results of its own commands and no others'. */
@ExtendWith(KafkaBroker.class)
class ReplyRoutingIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("routing-it");
        stack.addGateway("gw-b");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldAnswerEachGatewaysCommandsOnItsOwnReplyTopicOnly() throws Exception {
        Gateway a = stack.gateways.get(0);
        Gateway b = stack.gateways.get(1);
        String projectId = stack.createProject("shared", null).get("projectId").asText();
        String key = stack.createProject("shared2", null).get("apiKey").asText();
        Deadline.await(
                Duration.ofSeconds(30),
                () -> b.project(projectId).isPresent(),
                () -> "gateway b learns of new projects");
        stack.awaitApiKey(b, key);

        int perGateway = 25;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < perGateway; i++) {
            answers.add(post(a, key, "gw-a-token-" + i));
            answers.add(post(b, key, "gw-b-token-" + i));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.join().statusCode()).as(answer.join().body()).isEqualTo(200);
        }
        // Each gateway sees the other's writes: the pool is one.
        assertThat(stack.call(b, "GET", "/v3/submission/tokens?tokenId=gw-a-token-3", null, "x-api-key", key)
                        .status())
                .isEqualTo(200);
        assertThat(stack.call(a, "GET", "/v3/submission/tokens?tokenId=gw-b-token-3", null, "x-api-key", key)
                        .status())
                .isEqualTo(200);

        String topicOfA = stack.name + ".gateway-replies.routing-it-gw-a";
        String topicOfB = stack.name + ".gateway-replies.routing-it-gw-b";
        Set<String> sentByA = new HashSet<>();
        Set<String> sentByB = new HashSet<>();
        for (ConsumerRecord<String, byte[]> command :
                TopicReader.readAll(stack.name + ".commands", 2 * perGateway + 2)) {
            JsonNode json = Json.parse(command.value());
            String replyTo = json.path("replyTo").asText();
            (replyTo.equals(topicOfA) ? sentByA : replyTo.equals(topicOfB) ? sentByB : new HashSet<String>())
                    .add(json.path("correlationId").asText());
        }
        assertThat(sentByA).hasSizeGreaterThanOrEqualTo(perGateway + 1);
        assertThat(sentByB).hasSizeGreaterThanOrEqualTo(perGateway + 1);
        // Every command's result is on its own gateway's topic, and none on the other's. (A reply topic may also
        // hold results of readiness probes sent after the commands were read: those are its own too.)
        Deadline.await(
                Duration.ofSeconds(30), () -> correlationIds(topicOfA).containsAll(sentByA), () -> "A's results on A");
        Deadline.await(
                Duration.ofSeconds(30), () -> correlationIds(topicOfB).containsAll(sentByB), () -> "B's results on B");
        assertThat(correlationIds(topicOfA)).doesNotContainAnyElementsOf(sentByB);
        assertThat(correlationIds(topicOfB)).doesNotContainAnyElementsOf(sentByA);
    }

    private CompletableFuture<HttpResponse<String>> post(Gateway gateway, String key, String tokenId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(gateway, "/v3/submission/tokens")))
                .header("x-api-key", key)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"" + tokenId + "\"]}"))
                .build();
        return stack.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The correlation IDs of the results on a reply topic now. */
    private static Set<String> correlationIds(String topic) throws Exception {
        Set<String> ids = new HashSet<>();
        for (var record : TopicReader.readAll(topic, 0)) {
            PoolResult result = TokenPoolSerdes.result().deserializer().deserialize(topic, record.value());
            ids.add(result.correlationId());
        }
        return ids;
    }
}
