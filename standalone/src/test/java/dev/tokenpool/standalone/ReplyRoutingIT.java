package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.gateway.Gateway;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With two gateways on one processor, each gateway's reply topic holds its own results and nothing else. */
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
    void twoGatewaysEachGetOnlyTheirOwnReplies() throws Exception {
        Gateway a = stack.gateways.get(0);
        Gateway b = stack.gateways.get(1);
        String projectId = stack.createProject("shared", null).get("projectId").asText();
        String key = stack.createProject("shared2", null).get("apiKey").asText();
        awaitKnown(b, projectId);
        stack.awaitApiKey(b, key);

        int perGateway = 25;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < perGateway; i++) {
            answers.add(post(a, key, "gw-a-token-" + i));
            answers.add(post(b, key, "gw-b-token-" + i));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i).join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"totalSubmitted\":1");
        }
        // Each gateway sees the other's writes: the pool is one.
        assertThat(stack.call(b, "GET", "/v3/submission/tokens?tokenId=gw-a-token-3", null, "x-api-key", key).status()).isEqualTo(200);
        assertThat(stack.call(a, "GET", "/v3/submission/tokens?tokenId=gw-b-token-3", null, "x-api-key", key).status()).isEqualTo(200);

        Set<String> repliesOfA = correlationIds(stack.name + ".replies.routing-it-gw-a", perGateway + 1);
        Set<String> repliesOfB = correlationIds(stack.name + ".replies.routing-it-gw-b", perGateway + 1);
        assertThat(repliesOfA).hasSizeGreaterThanOrEqualTo(perGateway + 1);
        assertThat(repliesOfB).hasSizeGreaterThanOrEqualTo(perGateway + 1);
        assertThat(repliesOfA).doesNotContainAnyElementsOf(repliesOfB);
    }

    private CompletableFuture<HttpResponse<String>> post(Gateway gateway, String key, String tokenId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(gateway, "/v3/submission/tokens")))
                .header("x-api-key", key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"" + tokenId + "\"]}")).build();
        return stack.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> correlationIds(String topic, int atLeast) {
        Set<String> ids = new HashSet<>();
        for (var record : TopicReader.readAll(topic, atLeast)) {
            PoolResult result = TokenPoolSerdes.result().deserializer().deserialize(topic, record.value());
            assertThat(result.replyTo()).isEqualTo(topic);
            ids.add(result.correlationId());
        }
        return ids;
    }

    private static void awaitKnown(Gateway gateway, String projectId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gateway.project(projectId).isEmpty()) {
            assertThat(System.nanoTime()).as("gateway learns of new projects").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
