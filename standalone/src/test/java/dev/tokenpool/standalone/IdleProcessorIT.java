package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle processor's stream thread waits long in each poll instead of every 10 ms, and still commits every
 * command it processed at once: each answer needs its transaction committed.
 */
@ExtendWith(KafkaBroker.class)
class IdleProcessorIT {
    @Test
    void shouldPollRarelyWhileIdleAndStillAnswerEveryCommand() throws Exception {
        try (TokenPoolStack stack = TokenPoolStack.start("idle-it")) {
            String key = stack.createProject("idle", null).get("apiKey").asText();
            stack.awaitApiKey(stack.gateway(), key);
            assertThat(stack.tokens("POST", key, "{\"tokenId\":[\"idle-0000\"]}")
                            .status())
                    .isEqualTo(200);

            long before = StreamThreadMetrics.total("idle-it", "poll-total");
            Thread.sleep(3_000);
            long polls = StreamThreadMetrics.total("idle-it", "poll-total") - before;
            // Polls of poll.ms (10 ms) would be about 300 in 3 s; idle waits of 250 ms make about 12.
            assertThat(polls).as("polls in 3 idle seconds").isBetween(1L, 40L);

            for (int i = 1; i <= 5; i++) {
                String tokenId = "idle-%04d".formatted(i);
                var added = stack.tokens("POST", key, "{\"tokenId\":[\"" + tokenId + "\"]}");
                assertThat(added.status()).isEqualTo(200);
                assertThat(added.json().path("summary").path("currentCount").asInt())
                        .isEqualTo(i + 1);
                assertThat(stack.getToken(key, tokenId).json().path("tokenId").asText())
                        .isEqualTo(tokenId);
            }
        }
    }
}
