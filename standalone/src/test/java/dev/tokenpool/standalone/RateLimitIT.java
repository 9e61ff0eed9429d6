package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.schemas.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-project limits with two gateways on the real broker: a project past its requests per second is answered
 * 429 with Retry-After while another runs at full speed; a daily quota is exact across gateways, since it is
 * counted where the project's commands meet.
 */
@ExtendWith(KafkaBroker.class)
class RateLimitIT {
    static TokenPoolStack stack;
    static Gateway second;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.start("rate-limit-it");
        second = stack.addGateway("gw-b");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String project(String name, String rateLimit) throws Exception {
        JsonNode created = stack.call(
                        stack.gateway(),
                        "POST",
                        "/admin/projects",
                        "{\"name\":\"" + name + "\",\"rateLimit\":" + rateLimit + "}",
                        "x-admin-key",
                        TokenPoolStack.ADMIN_KEY)
                .json();
        String apiKey = created.path("apiKey").asText();
        stack.awaitApiKey(stack.gateway(), apiKey);
        stack.awaitApiKey(second, apiKey);
        return apiKey;
    }

    @Test
    void shouldHoldOneProjectToItsRateWhileAnotherRunsAtFullSpeed() throws Exception {
        String limited = project("limited", "{\"requestsPerSecond\":5}");
        String free = project("free", "null");
        Thread.sleep(1_100); // the warm-up requests above took from the limited project's bucket
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<TokenPoolStack.Answer>> limitedAnswers = new ArrayList<>();
            List<Future<TokenPoolStack.Answer>> freeAnswers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                limitedAnswers.add(clients.submit(() -> stack.call(
                        stack.gateway(), "GET", "/v3/submission/tokens?type=count", null, "x-api-key", limited)));
                freeAnswers.add(clients.submit(() -> stack.call(
                        stack.gateway(), "GET", "/v3/submission/tokens?type=count", null, "x-api-key", free)));
            }
            int refused = 0;
            for (Future<TokenPoolStack.Answer> answer : limitedAnswers) {
                TokenPoolStack.Answer limitedAnswer = answer.get();
                if (limitedAnswer.status() == 429) {
                    refused++;
                    assertThat(limitedAnswer.errorCode()).isEqualTo("rate_limit_exceeded");
                    assertThat(limitedAnswer.raw().headers().firstValue("Retry-After"))
                            .contains("1");
                }
            }
            assertThat(refused).as("40 requests at once, 5 a second").isGreaterThanOrEqualTo(25);
            for (Future<TokenPoolStack.Answer> answer : freeAnswers) {
                assertThat(answer.get().status())
                        .as("the other project is not held back")
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void shouldCountADailyQuotaExactlyAcrossGateways() throws Exception {
        String quota = project("quota", "{\"requestsPerDay\":12}"); // the two warm-up reads above count: 2 used
        for (int i = 0; i < 10; i++) {
            Gateway gateway = i % 2 == 0 ? stack.gateway() : second;
            assertThat(stack.call(gateway, "GET", "/v3/submission/tokens?type=count", null, "x-api-key", quota)
                            .status())
                    .as("request %d", i + 3)
                    .isEqualTo(200);
        }
        for (Gateway gateway : List.of(stack.gateway(), second)) {
            TokenPoolStack.Answer refused = stack.tokens(gateway, "POST", quota, "{\"tokenId\":[\"quota-0001\"]}");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.errorCode()).isEqualTo("rate_limit_exceeded");
            long retryAfter = Long.parseLong(
                    refused.raw().headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter)
                    .as("seconds to 00:00 UTC")
                    .isCloseTo(RateLimit.secondsToNextDay(System.currentTimeMillis()), within(5L));
        }
        assertThat(stack.getToken(quota, "quota-0001").status())
                .as("refused: nothing applied (and one more refusal)")
                .isEqualTo(429);
    }
}
