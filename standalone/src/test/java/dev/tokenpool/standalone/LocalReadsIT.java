package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.runtime.Deadline;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway beside the processor answers lookups, lists and counts from the processor's stores: a client
 * reads its own acknowledged writes, the answers are those of the Kafka path, and a write whose
 * transaction has not committed is never read.
 */
@ExtendWith(KafkaBroker.class)
class LocalReadsIT {
    static TokenPoolStack stack;
    static Gateway viaKafka;
    static Gateway local;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("local-reads-it");
        viaKafka = stack.gateway();
        local = stack.addLocalGateway("local");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldReadEveryAcknowledgedWriteRightAway() throws Exception {
        String key =
                stack.createProject("read-your-writes", null).path("apiKey").asText();
        stack.awaitApiKey(local, key);
        double localBefore = stack.reads(local, "local");
        int tokens = 60;
        for (int i = 0; i < tokens; i++) {
            String tokenId = "ryw-token-%03d".formatted(i);
            assertThat(stack.tokens(local, "POST", key, "{\"tokenId\":[\"" + tokenId + "\"]}")
                            .status())
                    .isEqualTo(200);
            TokenPoolStack.Answer found = get(local, key, "?tokenId=" + tokenId);
            assertThat(found.status()).as(found.text()).isEqualTo(200);
            assertThat(found.json().path("data").path("tokenId").asText()).isEqualTo(tokenId);
            assertThat(get(local, key, "?type=count").json().path("count").asInt())
                    .isEqualTo(i + 1);
            if (i % 10 == 9) {
                assertThat(stack.tokens(local, "DELETE", key, "{\"tokenId\":[\"" + tokenId + "\"]}")
                                .status())
                        .isEqualTo(200);
                assertThat(get(local, key, "?tokenId=" + tokenId).errorCode()).isEqualTo("token_id_not_found");
                assertThat(stack.tokens(local, "POST", key, "{\"tokenId\":[\"" + tokenId + "\"]}")
                                .status())
                        .isEqualTo(200);
            }
        }
        assertThat(get(local, key, "").json().path("data")).hasSize(tokens);
        // The stores commit microseconds after the result is sent: a busy machine may push a few reads to Kafka.
        assertThat(stack.reads(local, "local") - localBefore).isGreaterThan(tokens * 2.2 * 0.8);
    }

    @Test
    void shouldAnswerAsTheKafkaPathDoes() throws Exception {
        String key = stack.createProject("same-answers", null).path("apiKey").asText();
        stack.awaitApiKey(local, key);
        for (int i = 0; i < 3; i++) {
            String ids = String.join(
                    ",",
                    java.util.stream.IntStream.range(i * 500, i * 500 + 500)
                            .mapToObj(n -> "\"same-%05d\"".formatted(n))
                            .toList());
            assertThat(stack.tokens(local, "POST", key, "{\"tokenId\":[" + ids + "]}")
                            .status())
                    .isEqualTo(200);
        }
        assertThat(stack.tokens(local, "DELETE", key, "{\"count\":20,\"order\":\"asc\"}")
                        .status())
                .isEqualTo(200);
        double localBefore = stack.reads(local, "local");
        List<String> queries = List.of(
                "?tokenId=same-00042",
                "?tokenId=same-00019",
                "?tokenId=same-01499",
                "?tokenId=never-registered",
                "?type=count",
                "",
                "?nextPageKeyId=same-00700&nextPageKeyTime=2000-01-01T00:00:00.000Z");
        for (String query : queries) {
            TokenPoolStack.Answer expected = get(viaKafka, key, query);
            TokenPoolStack.Answer answered = get(local, key, query);
            assertThat(answered.status()).as(query).isEqualTo(expected.status());
            assertThat(answered.json()).as(query).isEqualTo(expected.json());
        }
        assertThat(get(local, key, "")
                        .json()
                        .path("data")
                        .get(0)
                        .path("tokenId")
                        .asText())
                .isEqualTo("same-00020");
        assertThat(stack.reads(local, "local") - localBefore).isGreaterThanOrEqualTo(queries.size());
        // A key the gateway does not know never reaches a store, locally or not.
        assertThat(get(local, "no-such-key", "?type=count").status())
                .isEqualTo(get(viaKafka, "no-such-key", "?type=count").status());
    }

    /**
     * With commits 5 s apart, a write stays in an open transaction for a while after the processor applied
     * it to its stores: a local read then must not see it. Once the POST is answered, it must.
     */
    @Test
    void shouldNeverReadAWriteBeforeItsTransactionCommits() throws Exception {
        try (TokenPoolStack slow = TokenPoolStack.startOn(
                "uncommitted-it", KafkaBroker.bootstrapServers(), Map.of("TOKENPOOL_COMMIT_INTERVAL_MS", "5000"))) {
            Gateway gateway = slow.addLocalGateway("local");
            var project = slow.createProject("uncommitted", null);
            String key = project.path("apiKey").asText();
            String projectId = project.path("projectId").asText();
            slow.awaitApiKey(gateway, key);
            int partition = BuiltInPartitioner.partitionForKey(projectId.getBytes(StandardCharsets.UTF_8), 2);
            boolean seenOpen = false;
            for (int attempt = 0; attempt < 5 && !seenOpen; attempt++) {
                String tokenId = "uncommitted-%02d".formatted(attempt);
                long commits = StreamThreadMetrics.total("uncommitted-it", "commit-total");
                long processed = StreamThreadMetrics.total("uncommitted-it", "process-total");
                CompletableFuture<TokenPoolStack.Answer> post = CompletableFuture.supplyAsync(
                        () -> call(() -> slow.tokens(gateway, "POST", key, "{\"tokenId\":[\"" + tokenId + "\"]}")));
                Deadline.await(
                        Duration.ofSeconds(10),
                        () -> StreamThreadMetrics.total("uncommitted-it", "process-total") > processed,
                        () -> "the processor applies the POST");
                Optional<ResponseBody> read =
                        slow.processor.localReads().read(projectId, partition, -1, new PoolCommand.GetToken(tokenId));
                // The count is read from the pool's meta entry, which every write rewrites.
                Optional<ResponseBody> count =
                        slow.processor.localReads().read(projectId, partition, -1, new PoolCommand.CountTokens());
                if (StreamThreadMetrics.total("uncommitted-it", "commit-total") == commits && !post.isDone()) {
                    seenOpen = true; // both reads ran while the write's transaction was open
                    assertThat(read).isPresent();
                    assertThat(read.get().httpStatus()).isEqualTo(400);
                    assertThat(Json.tree(read.get()).path("errorCode").asText()).isEqualTo("token_id_not_found");
                    assertThat(count).isPresent();
                    assertThat(Json.tree(count.get()).path("count").asInt())
                            .as("tokens of committed POSTs only")
                            .isEqualTo(attempt);
                }
                assertThat(post.join().status()).isEqualTo(200);
                assertThat(slow.call(gateway, "GET", "/v3/submission/tokens?tokenId=" + tokenId, null, "x-api-key", key)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(seenOpen).as("a read ran while a transaction was open").isTrue();
            assertThat(slow.reads(gateway, "local")).isGreaterThan(0);
        }
    }

    private static TokenPoolStack.Answer get(Gateway gateway, String key, String query) throws Exception {
        return stack.call(gateway, "GET", "/v3/submission/tokens" + query, null, "x-api-key", key);
    }

    interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
