package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.processor.ProcessorService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two processor instances and two gateways on one broker: the four command partitions are shared by the
 * processors, commands from both gateways spread over all of them, and every answer is right. One gateway
 * sends everything through Kafka; the other sits beside the second processor and reads the pools that
 * instance holds from its stores, the others through Kafka.
 */
@ExtendWith(KafkaBroker.class)
class ScaleOutIT {
    static final int PARTITIONS = 4;
    static final int TOKENS_PER_PROJECT = 40;
    static TokenPoolStack stack;
    static ProcessorService second;
    static Gateway viaKafka;
    static Gateway besideSecond;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.startOn(
                "scale-out-it",
                KafkaBroker.bootstrapServers(),
                Map.of("TOKENPOOL_COMMAND_PARTITIONS", String.valueOf(PARTITIONS)));
        second = stack.addProcessor();
        viaKafka = stack.gateway();
        besideSecond = stack.addLocalGateway("beside-second", second);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldAnswerRightWithPartitionsSpreadOverTwoProcessors() throws Exception {
        // Projects until every partition holds at least one pool.
        Map<String, String> keyOfProject = new HashMap<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; partitions.size() < PARTITIONS; i++) {
            assertThat(i)
                    .as("projects needed to cover %d partitions", PARTITIONS)
                    .isLessThan(40);
            JsonNode project = stack.createProject("spread-" + i, null);
            String projectId = project.path("projectId").asText();
            keyOfProject.put(projectId, project.path("apiKey").asText());
            partitions.add(BuiltInPartitioner.partitionForKey(projectId.getBytes(StandardCharsets.UTF_8), PARTITIONS));
        }
        for (String key : keyOfProject.values()) {
            stack.awaitApiKey(besideSecond, key);
        }

        // One token a request, alternating gateways, 16 at a time over all pools.
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<TokenPoolStack.Answer>> posts = new ArrayList<>();
            for (String key : keyOfProject.values()) {
                for (int t = 0; t < TOKENS_PER_PROJECT; t++) {
                    Gateway gateway = t % 2 == 0 ? viaKafka : besideSecond;
                    String body = "{\"tokenId\":[\"spread-token-%03d\"]}".formatted(t);
                    posts.add(clients.submit(() -> stack.tokens(gateway, "POST", key, body)));
                }
            }
            for (Future<TokenPoolStack.Answer> post : posts) {
                assertThat(post.get().status()).as(post.get().text()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        // Each pool's ten first tokens leave through the gateway beside the second processor, after every add:
        // its reads must see all of them.
        String firstTen = IntStream.range(0, 10)
                .mapToObj("\"spread-token-%03d\""::formatted)
                .collect(Collectors.joining(","));
        for (String key : keyOfProject.values()) {
            assertThat(stack.tokens(besideSecond, "DELETE", key, "{\"tokenId\":[" + firstTen + "]}")
                            .status())
                    .isEqualTo(200);
        }

        Set<String> expected = IntStream.range(10, TOKENS_PER_PROJECT)
                .mapToObj("spread-token-%03d"::formatted)
                .collect(Collectors.toSet());
        double localBefore = stack.reads(besideSecond, "local");
        for (String key : keyOfProject.values()) {
            for (Gateway gateway : List.of(viaKafka, besideSecond)) {
                String which = gateway == viaKafka ? "through Kafka" : "beside the second processor";
                assertThat(get(gateway, key, "?type=count").json().path("count").asInt())
                        .as(which)
                        .isEqualTo(TOKENS_PER_PROJECT - 10);
                assertThat(get(gateway, key, "?tokenId=spread-token-003").errorCode())
                        .as(which)
                        .isEqualTo("token_id_not_found");
                assertThat(get(gateway, key, "?tokenId=spread-token-033").status())
                        .as(which)
                        .isEqualTo(200);
                Set<String> listed = new HashSet<>();
                get(gateway, key, "")
                        .json()
                        .path("data")
                        .forEach(entry -> listed.add(entry.path("tokenId").asText()));
                assertThat(listed).as(which).isEqualTo(expected);
            }
        }
        // The second instance holds some pools (its gateway read them locally), the first the others.
        assertThat(stack.reads(besideSecond, "local")).isGreaterThan(localBefore);
        assertThat(StreamThreadMetrics.perInstance(stack.name, "process-total"))
                .as("commands processed by each processor instance")
                .hasSize(2)
                .allSatisfy((instance, processed) -> assertThat(processed).isPositive());
    }

    private static TokenPoolStack.Answer get(Gateway gateway, String key, String query) throws Exception {
        return stack.call(gateway, "GET", "/v3/submission/tokens" + query, null, "x-api-key", key);
    }
}
