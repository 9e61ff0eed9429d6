package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands with an idempotency key, under TopologyTestDriver: applied once, answered again, refused otherwise. */
class IdempotencyTest {
    static final String P = "project-a";
    PoolHarness pool = new PoolHarness();

    @AfterEach
    void close() {
        pool.close();
    }

    private void fill(String projectId, int tokens) {
        pool.send(
                projectId,
                new PoolCommand.AddTokens(IntStream.range(0, tokens)
                        .mapToObj(i -> "token-%04d".formatted(i))
                        .toList()));
    }

    private long count(String projectId) {
        return pool.count(projectId).body().path("count").asLong();
    }

    private static String error(PoolResult result) {
        return result.body().path("errorCode").asText();
    }

    @Test
    void shouldApplyADeleteByCountOnceAndAnswerEveryRetryWithTheFirstResult() {
        fill(P, 10);
        pool.audit.readValuesToList();
        PoolCommand deleteThree = new PoolCommand.DeleteByOrder(3, Order.ASC);

        PoolResult first = pool.sendWithKey(P, "delete-1", deleteThree);
        PoolResult retry = pool.sendWithKey(P, "delete-1", deleteThree);
        PoolResult again = pool.sendWithKey(P, "delete-1", deleteThree);

        assertThat(first.isReplay()).isFalse();
        assertThat(first.body().path("summary").path("deleted").asInt()).isEqualTo(3);
        for (PoolResult replay : List.of(retry, again)) {
            assertThat(replay.isReplay()).isTrue();
            assertThat(replay.status()).isEqualTo(first.status());
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(replay.correlationId()).as("the retry's own").isNotEqualTo(first.correlationId());
        }
        assertThat(count(P)).as("deleted once").isEqualTo(7);
        assertThat(pool.audit.readValuesToList())
                .extracting(AuditRecord::action)
                .as("one mutation, audited once")
                .containsExactly("delete_by_order");
    }

    @Test
    void shouldUseAOneTimeTokenOnceWhateverTheRetries() {
        pool.registerProject(ProjectRecord.of(P, P, 100)
                .withLifecycle(new dev.tokenpool.schemas.Expiration(1, null), true, null, "2026-01-01T00:00:00Z"));
        pool.add(P, "one-time-01");
        PoolResult used = pool.sendWithKey(P, "use-1", new PoolCommand.UseToken("one-time-01"));
        PoolResult retried = pool.sendWithKey(P, "use-1", new PoolCommand.UseToken("one-time-01"));

        assertThat(used.status()).isEqualTo(200);
        assertThat(retried.isReplay()).isTrue();
        assertThat(retried.status())
                .as("the first use's answer, not token_id_not_found")
                .isEqualTo(200);
        assertThat(retried.body()).isEqualTo(used.body());
        assertThat(error(pool.use(P, "one-time-01")))
                .as("without the key, a new use")
                .isEqualTo("token_id_not_found");
    }

    @Test
    void shouldRefuseTheKeyWithOtherContentAndApplyNothing() {
        fill(P, 10);
        pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(3, Order.ASC));

        PoolResult other = pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(4, Order.ASC));
        PoolResult otherType = pool.sendWithKey(P, "delete-1", new PoolCommand.AddTokens(List.of("token-9999")));

        for (PoolResult refused : List.of(other, otherType)) {
            assertThat(refused.status()).isEqualTo(422);
            assertThat(error(refused)).isEqualTo("idempotency_key_reused");
            assertThat(refused.isReplay()).isFalse();
        }
        assertThat(count(P)).isEqualTo(7);
        assertThat(pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(3, Order.ASC))
                        .isReplay())
                .as("the first content still replays")
                .isTrue();
    }

    @Test
    void shouldFingerprintTheTokenIdsInTheOrderSent() {
        PoolResult added = pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(List.of("token-a001", "token-b001")));
        assertThat(pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(List.of("token-a001", "token-b001"))))
                .satisfies(replay -> assertThat(replay.isReplay()).isTrue())
                .satisfies(replay -> assertThat(replay.body()).isEqualTo(added.body()));
        assertThat(error(pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(List.of("token-b001", "token-a001")))))
                .isEqualTo("idempotency_key_reused");
    }

    @Test
    void shouldKeepEachProjectsKeysApart() {
        fill(P, 5);
        fill("project-b", 5);
        pool.sendWithKey(P, "same-key", new PoolCommand.DeleteByOrder(2, Order.ASC));
        PoolResult other = pool.sendWithKey("project-b", "same-key", new PoolCommand.DeleteByOrder(2, Order.ASC));
        assertThat(other.isReplay()).isFalse();
        assertThat(count("project-b")).isEqualTo(3);
        assertThat(count(P)).isEqualTo(3);
    }

    @Test
    void shouldIgnoreTheKeyOfAReadAndStoreNothing() {
        pool.add(P, "token-a001");
        PoolResult looked = pool.sendWithKey(P, "read-1", new PoolCommand.GetToken("token-a001"));
        PoolResult counted = pool.sendWithKey(P, "read-1", new PoolCommand.CountTokens());
        assertThat(looked.isReplay()).isFalse();
        assertThat(counted.isReplay()).isFalse();
        assertThat(counted.body().path("count").asLong()).isEqualTo(1);
        assertThat(storedEntries()).isZero();
    }

    @Test
    void shouldStoreTheRefusalsOfThePoolButNotOfTheQuotaNorOfTheRequestsForm() {
        pool.registerProject(ProjectRecord.of(P, P, 2).withRateLimit(new RateLimit(null, 2L), "2026-01-01T00:00:00Z"));
        PoolResult malformed = pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(List.of("token-a001", "b")));
        assertThat(error(malformed)).as("refused before the pool").isEqualTo("invalid_token_id_format");
        List<String> three = List.of("token-a001", "token-b001", "token-c001");
        PoolResult tooMany = pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(three));
        assertThat(error(tooMany))
                .as("the key was not taken by the malformed request")
                .isEqualTo("token_limit_exceeded");
        assertThat(pool.sendWithKey(P, "add-1", new PoolCommand.AddTokens(three))
                        .isReplay())
                .as("the pool's refusal is the stored result")
                .isTrue();

        PoolResult overQuota = pool.sendWithKey(P, "add-2", new PoolCommand.AddTokens(List.of("token-d001")));
        assertThat(error(overQuota)).as("the daily quota of 2 is used up").isEqualTo("rate_limit_exceeded");
        assertThat(overQuota.retryAfterSeconds()).isPositive();
        pool.advance(Duration.ofDays(1));
        PoolResult nextDay = pool.sendWithKey(P, "add-2", new PoolCommand.AddTokens(List.of("token-d001")));
        assertThat(nextDay.isReplay())
                .as("a 429 is not stored: the retry is applied")
                .isFalse();
        assertThat(nextDay.status()).isEqualTo(200);
    }

    @Test
    void shouldFreeTheKeyAfterTheRetentionAndRemoveWhatWasStored() {
        pool.close();
        pool = new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_IDEMPOTENCY_RETENTION_MS", "60000"))));
        fill(P, 10);
        pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(1, Order.ASC));
        pool.advance(Duration.ofSeconds(50));
        assertThat(pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(1, Order.ASC))
                        .isReplay())
                .as("within the retention")
                .isTrue();
        assertThat(storedEntries()).isEqualTo(3); // the result, its place in the expiry queue, the project's count

        pool.advance(Duration.ofSeconds(40)); // a round runs at least every 30 s and removes what expired
        assertThat(storedEntries()).as("removed after the retention").isZero();
        PoolResult again = pool.sendWithKey(P, "delete-1", new PoolCommand.DeleteByOrder(1, Order.ASC));
        assertThat(again.isReplay()).as("the key is free again").isFalse();
        assertThat(count(P)).isEqualTo(8);
    }

    @Test
    void shouldRefuseNewKeysPastTheBoundUntilTheOldestExpires() {
        pool.close();
        pool = new PoolHarness(TopologySettings.from(new Env(
                Map.of("TOKENPOOL_IDEMPOTENCY_MAX_KEYS", "2", "TOKENPOOL_IDEMPOTENCY_RETENTION_MS", "600000"))));
        fill(P, 10);
        pool.sendWithKey(P, "key-1", new PoolCommand.DeleteByOrder(1, Order.ASC));
        pool.sendWithKey(P, "key-2", new PoolCommand.DeleteByOrder(1, Order.ASC));

        PoolResult refused = pool.sendWithKey(P, "key-3", new PoolCommand.DeleteByOrder(1, Order.ASC));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(error(refused)).isEqualTo("idempotency_key_limit_exceeded");
        assertThat(refused.retryAfterSeconds()).as("until key-1 expires").isBetween(590L, 600L);
        assertThat(count(P)).as("nothing applied").isEqualTo(8);
        assertThat(pool.sendWithKey(P, "key-1", new PoolCommand.DeleteByOrder(1, Order.ASC))
                        .isReplay())
                .as("stored keys still answer")
                .isTrue();
        assertThat(pool.send(P, new PoolCommand.DeleteByOrder(1, Order.ASC)).status())
                .as("without a key")
                .isEqualTo(200);

        pool.advance(Duration.ofSeconds(600));
        assertThat(pool.sendWithKey(P, "key-3", new PoolCommand.DeleteByOrder(1, Order.ASC))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void shouldCountReplaysAndRefusalsInTheStreamsMetrics() {
        fill(P, 5);
        pool.sendWithKey(P, "k", new PoolCommand.DeleteByOrder(1, Order.ASC));
        pool.sendWithKey(P, "k", new PoolCommand.DeleteByOrder(1, Order.ASC));
        pool.sendWithKey(P, "k", new PoolCommand.DeleteByOrder(1, Order.ASC));
        pool.sendWithKey(P, "k", new PoolCommand.DeleteByOrder(2, Order.ASC));
        assertThat(total("idempotent-replays-total")).isEqualTo(2.0);
        assertThat(total("idempotency-refusals-total")).isEqualTo(1.0);
    }

    private double total(String name) {
        Map<MetricName, ? extends Metric> metrics = pool.driver.metrics();
        return metrics.entrySet().stream()
                .filter(metric -> metric.getKey().name().equals(name)
                        && metric.getKey().group().contains(IdempotencyMetrics.SCOPE))
                .mapToDouble(metric -> (Double) metric.getValue().metricValue())
                .sum();
    }

    private int storedEntries() {
        int entries = 0;
        try (var all = pool.store(PoolStores.IDEMPOTENCY_STORE).all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }
}
