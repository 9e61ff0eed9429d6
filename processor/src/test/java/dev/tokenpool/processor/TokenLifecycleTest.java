package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PageKey;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenCount;
import dev.tokenpool.schemas.TokenDetails;
import dev.tokenpool.schemas.TokenEvent;
import dev.tokenpool.schemas.TokenExpiredEvent;
import dev.tokenpool.schemas.TokenList;
import dev.tokenpool.schemas.TokenReuseAttemptedEvent;
import dev.tokenpool.schemas.VolumeDeletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Use, expiry, automatic deletion, events, audit and the list, under TopologyTestDriver's wall clock. */
class TokenLifecycleTest {
    static final String P = "p-life";
    static final String A = "tokenA-0001", B = "tokenB-0001", C = "tokenC-0001";
    PoolHarness pool =
            new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_VOLUME_DELETION_INTERVAL_MS", "10000"))));

    @AfterEach
    void close() {
        pool.close();
    }

    void project(Expiration expiration, Boolean deleteOnExpiration, VolumeDeletion volume, long limit) {
        pool.registerProject(
                ProjectRecord.create(P, P, "hash", limit).withLifecycle(expiration, deleteOnExpiration, volume, "t"));
    }

    static String error(PoolResult result) {
        return result.bodyAs(ErrorResponse.class).errorCode();
    }

    static TokenDetails.Data details(PoolResult result) {
        assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
        return result.bodyAs(TokenDetails.class).data();
    }

    long count() {
        return pool.count(P).bodyAs(TokenCount.class).count();
    }

    @Nested
    class ByCount {
        @Test
        void shouldExpireAndDeleteTheTokenAtTheUseThatReachesMaxUses() {
            project(new Expiration(2, null), null, null, 100);
            pool.add(P, A, B);
            assertThat(details(pool.use(P, A)))
                    .isEqualTo(new TokenDetails.Data(
                            A, Timestamps.format(pool.clock().minusSeconds(1)), false, 1, null));
            assertThat(pool.events.isEmpty()).isTrue();
            TokenDetails.Data last = details(pool.use(P, A));
            assertThat(last.uses()).isEqualTo(2);
            assertThat(last.expired()).isTrue();
            assertThat(pool.events.readKeyValue()).satisfies(event -> {
                assertThat(event.key).isEqualTo(P);
                assertThat(event.value)
                        .usingRecursiveComparison()
                        .ignoringFields("eventId")
                        .isEqualTo(TokenExpiredEvent.byCount(A, pool.clock().toEpochMilli()));
                assertThat(event.value.eventId()).matches("evt_[0-9a-f]{32}");
            });
            assertThat(error(pool.use(P, A))).as("it left the pool").isEqualTo("token_id_not_found");
            assertThat(count()).isEqualTo(1);
            assertThat(pool.poolInOrder(P)).containsExactly(B);
        }

        @Test
        void shouldShowKeptExpiredTokensAsExpiredRefuseThemAndLetThemBeDeleted() {
            project(new Expiration(1, null), false, null, 100);
            pool.add(P, A);
            assertThat(details(pool.use(P, A)).expired()).isTrue();
            assertThat(pool.events.readValuesToList()).hasSize(1);
            assertThat(error(pool.use(P, A))).isEqualTo("token_expired");
            long reusedAt = pool.clock().toEpochMilli();
            assertThat(pool.events.readValuesToList())
                    .as("no second expiry, but the reuse")
                    .singleElement()
                    .isInstanceOfSatisfying(TokenReuseAttemptedEvent.class, reuse -> {
                        assertThat(reuse.tokenId()).isEqualTo(A);
                        assertThat(reuse.expiredCondition()).isEqualTo("count");
                        assertThat(reuse.attemptedAt()).isEqualTo(Timestamps.formatMillis(reusedAt));
                    });
            assertThat(details(pool.get(P, A))).satisfies(data -> {
                assertThat(data.expired()).isTrue();
                assertThat(data.uses()).isEqualTo(1);
            });
            assertThat(pool.list(P, null).bodyAs(TokenList.class).data())
                    .extracting(TokenList.Entry::expired)
                    .containsExactly(true);
            assertThat(count()).as("still counts towards the pool").isEqualTo(1);
            assertThat(pool.delete(P, A).status()).isEqualTo(200);
            assertThat(count()).isZero();
        }

        @Test
        void shouldLetATokenWithoutExpirationBeUsedAnyNumberOfTimes() {
            pool.add(P, A);
            for (int i = 1; i <= 5; i++) {
                assertThat(details(pool.use(P, A)).uses()).isEqualTo(i);
            }
            assertThat(details(pool.get(P, A)).expired()).isFalse();
            assertThat(error(pool.use(P, B))).isEqualTo("token_id_not_found");
        }

        @Test
        void shouldLetOnlyTheFirstOfTwoUsesOfAOneUseTokenSucceed() {
            project(new Expiration(1, null), null, null, 100);
            pool.add(P, A);
            String first = "{\"version\":1,\"type\":\"use_token\",\"correlationId\":\"u-1\",\"replyTo\":\""
                    + PoolHarness.REPLY_TOPIC + "\",\"tokenId\":\"" + A + "\"}";
            pool.pipe(P, first);
            pool.pipe(P, first.replace("u-1", "u-2"));
            List<PoolResult> results = pool.replies.readValuesToList();
            assertThat(results).extracting(PoolResult::status).containsExactly(200, 400);
            assertThat(results.get(1).bodyAs(ErrorResponse.class).errorCode()).isEqualTo("token_id_not_found");
        }

        @Test
        void shouldStartTheUsesAgainOnReRegistering() {
            project(new Expiration(2, null), false, null, 100);
            pool.add(P, A);
            pool.use(P, A);
            pool.use(P, A);
            pool.add(P, A);
            assertThat(details(pool.get(P, A))).satisfies(data -> {
                assertThat(data.uses()).isZero();
                assertThat(data.expired()).isFalse();
            });
        }
    }

    @Nested
    class ByTime {
        @Test
        void shouldRemoveAnExpiredTokenWithinASecondOfItsDeadlineWithItsEvent() {
            project(new Expiration(null, 2L), null, null, 100);
            pool.add(P, A);
            long registeredAt = pool.clock().toEpochMilli();
            assertThat(details(pool.get(P, A)).expiresAt()).isEqualTo(Timestamps.formatMillis(registeredAt + 2_000));
            pool.advance(Duration.ofMillis(900)); // the get took 1 s
            assertThat(pool.poolInOrder(P)).as("1.9 s after registration").containsExactly(A);
            pool.advance(Duration.ofSeconds(1));
            assertThat(pool.poolInOrder(P))
                    .as("within a second of its deadline")
                    .isEmpty();
            assertThat(pool.events.readValuesToList())
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("eventId")
                    .containsExactly(TokenExpiredEvent.byTime(A, registeredAt + 2_000));
            assertThat(count()).isZero();
            assertThat(error(pool.use(P, A))).isEqualTo("token_id_not_found");
        }

        @Test
        void shouldExpireKeptTokensOnceAndKeepThem() {
            project(new Expiration(null, 2L), false, null, 100);
            pool.add(P, A, B);
            pool.advance(Duration.ofSeconds(5));
            assertThat(pool.events.readValuesToList())
                    .extracting(TokenEvent::tokenId)
                    .containsExactly(A, B);
            pool.advance(Duration.ofSeconds(5));
            assertThat(pool.events.isEmpty()).as("no second event").isTrue();
            assertThat(details(pool.get(P, A)).expired()).isTrue();
            assertThat(error(pool.use(P, A))).isEqualTo("token_expired");
            assertThat(pool.events.readValuesToList())
                    .singleElement()
                    .isInstanceOfSatisfying(
                            TokenReuseAttemptedEvent.class,
                            reuse -> assertThat(reuse.expiredCondition()).isEqualTo("time"));
            assertThat(count()).isEqualTo(2);
        }

        @Test
        void shouldRenewTheDeadlineOnReRegistering() {
            project(new Expiration(null, 3L), null, null, 100);
            pool.add(P, A, B);
            pool.add(P, A); // 1 s later: A expires 1 s after B
            pool.advance(Duration.ofMillis(2_500));
            assertThat(pool.poolInOrder(P)).containsExactly(A);
            pool.advance(Duration.ofSeconds(1));
            assertThat(pool.poolInOrder(P)).isEmpty();
        }

        @Test
        void shouldApplyATtlSetOnAPoolWithoutCommandsAtTheNextLook() {
            project(null, null, null, 100);
            pool.add(P, A);
            pool.advance(Duration.ofSeconds(3)); // a round found no TTL: the rounds stop, an idle task commits nothing
            project(new Expiration(null, 1L), null, null, 100);
            pool.advance(Duration.ofSeconds(2));
            assertThat(pool.events.isEmpty())
                    .as("no round runs until something wakes them")
                    .isTrue();
            pool.advance(RulesSchedule.LOOK_EVERY);
            pool.advance(Duration.ofSeconds(1));
            assertThat(pool.events.readValuesToList()).hasSize(1);
        }

        @Test
        void shouldApplyALoweredTtlToEveryToken() {
            project(new Expiration(null, 3600L), null, null, 100);
            pool.add(P, A, B);
            pool.advance(Duration.ofSeconds(30));
            assertThat(count()).isEqualTo(2);
            project(new Expiration(null, 10L), null, null, 100);
            pool.advance(Duration.ofSeconds(1));
            assertThat(count()).isZero();
        }

        @Test
        void shouldSpreadAHugeSweepOverSeveralRoundsWhileAnsweringCommands() {
            pool.close();
            pool = new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_RULES_BUDGET", "100"))));
            project(new Expiration(null, 60L), null, null, 1_000);
            List<String> ids = IntStream.range(0, 350)
                    .mapToObj(i -> "token-%05d".formatted(i))
                    .toList();
            pool.add(P, ids.subList(0, 175).toArray(String[]::new));
            pool.add(P, ids.subList(175, 350).toArray(String[]::new));
            pool.advance(Duration.ofSeconds(59)); // the first 175 are due now
            assertThat(pool.poolInOrder(P)).as("one round handles 100").hasSize(250);
            assertThat(count())
                    .as("the command 1 s later is answered after the next round")
                    .isEqualTo(150);
            pool.advance(Duration.ofSeconds(1));
            pool.advance(Duration.ofSeconds(1));
            assertThat(pool.poolInOrder(P)).isEmpty();
            assertThat(pool.events.readValuesToList()).hasSize(350);
        }

        @Test
        void shouldHandleAtMostTheBudgetOfOneRoundAcrossAllPools() {
            pool.close();
            pool = new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_RULES_BUDGET", "100"))));
            for (String project : List.of("p-one", "p-two")) {
                pool.registerProject(ProjectRecord.create(project, project, "hash", 1_000)
                        .withLifecycle(new Expiration(null, 60L), null, null, "t"));
                pool.add(
                        project,
                        IntStream.range(0, 99)
                                .mapToObj(i -> project + "-%05d".formatted(i))
                                .toArray(String[]::new));
            }
            pool.advance(Duration.ofSeconds(60)); // all 198 are due now: the first pool takes 99, the second 1
            assertThat(pool.poolInOrder("p-one").size()
                            + pool.poolInOrder("p-two").size())
                    .isEqualTo(98);
        }

        @Test
        void shouldRefuseAndRemoveATokenFoundExpiredBeforeTheSweep() {
            pool.close();
            pool = new PoolHarness(TopologySettings.from(new Env(Map.of("TOKENPOOL_RULES_BUDGET", "1"))));
            project(new Expiration(null, 1L), null, null, 100);
            pool.add(P, A, B);
            pool.advance(Duration.ofSeconds(1)); // a round of one: A leaves, B waits for the next round
            assertThat(pool.poolInOrder(P)).containsExactly(B);
            assertThat(error(pool.sendNow(P, new PoolCommand.UseToken(B)))).isEqualTo("token_expired");
            assertThat(pool.events.readValuesToList())
                    .extracting(TokenEvent::webhookTrigger, TokenEvent::tokenId)
                    .containsExactly(
                            tuple("token_expired", A), tuple("token_expired", B), tuple("token_reuse_attempted", B));
            assertThat(pool.poolInOrder(P)).isEmpty();
        }
    }

    @Test
    void shouldTrimAFullPoolFromTheChosenEndByVolumeDeletion() {
        project(null, null, new VolumeDeletion(0.8, 0.5, Order.ASC), 10);
        List<String> ids =
                IntStream.range(0, 8).mapToObj(i -> "token-%05d".formatted(i)).toList();
        pool.add(P, ids.toArray(String[]::new));
        pool.advance(Duration.ofSeconds(10)); // the check finds the pool at its threshold ...
        pool.advance(Duration.ofSeconds(1)); // ... and the next round deletes
        assertThat(pool.poolInOrder(P)).containsExactlyElementsOf(ids.subList(4, 8));
        AuditRecord volume = pool.audit.readValuesToList().stream()
                .filter(a -> a.action().equals("volume_deletion"))
                .findFirst()
                .orElseThrow();
        assertThat(volume.actor()).isEqualTo("system:volume-deletion");
        assertThat(volume.counts()).containsEntry("deleted", 4L).containsEntry("currentCount", 4L);
        pool.advance(Duration.ofSeconds(11));
        assertThat(pool.poolInOrder(P)).as("below the threshold now").hasSize(4);
    }

    @Nested
    class AVolumeDeletionUnderWay {
        final List<String> ids =
                IntStream.range(0, 8).mapToObj(i -> "token-%05d".formatted(i)).toList();

        /** A deletion of 4 of 8 tokens, newest first, one token a round, after its first round. */
        void begin() {
            pool.close();
            pool = new PoolHarness(TopologySettings.from(
                    new Env(Map.of("TOKENPOOL_RULES_BUDGET", "1", "TOKENPOOL_VOLUME_DELETION_INTERVAL_MS", "10000"))));
            project(null, null, new VolumeDeletion(0.8, 0.5, Order.DESC), 10);
            pool.add(P, ids.toArray(String[]::new));
            pool.advance(Duration.ofSeconds(10));
            pool.advance(Duration.ofSeconds(1));
            assertThat(pool.poolInOrder(P))
                    .as("newest first, one a round")
                    .containsExactlyElementsOf(ids.subList(0, 7));
        }

        /** Five rounds (the driver runs a punctuation at most once per advance). */
        void fiveRounds() {
            for (int round = 0; round < 5; round++) {
                pool.advance(Duration.ofSeconds(1));
            }
        }

        @Test
        void shouldStopWhenTheSettingIsRemoved() {
            begin();
            project(null, null, null, 10);
            fiveRounds();
            assertThat(pool.poolInOrder(P)).containsExactlyElementsOf(ids.subList(0, 7));
        }

        @Test
        void shouldShrinkToTheLoweredRatioOfTheCountItBeganAt() {
            begin();
            project(null, null, new VolumeDeletion(0.8, 0.25, Order.DESC), 10); // 2 of the 8 it began at
            fiveRounds();
            assertThat(pool.poolInOrder(P)).containsExactlyElementsOf(ids.subList(0, 6));
        }

        @Test
        void shouldGoOnToItsTargetFromTheEndTheSettingNames() {
            begin();
            fiveRounds();
            assertThat(pool.poolInOrder(P)).containsExactlyElementsOf(ids.subList(0, 4));
        }
    }

    @Test
    void shouldRefuseCommandsPastTheDailyQuotaApplyingNothingUntilTheNextUtcDay() {
        pool.registerProject(ProjectRecord.create(P, P, "hash", 100).withRateLimit(new RateLimit(null, 3L), "t"));
        assertThat(pool.add(P, A).status()).isEqualTo(200);
        assertThat(pool.count(P).status()).as("reads count too").isEqualTo(200);
        assertThat(pool.get(P, A).status()).isEqualTo(200);
        PoolResult refused = pool.add(P, B);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(error(refused)).isEqualTo("rate_limit_exceeded");
        assertThat(pool.poolInOrder(P)).as("nothing applied").containsExactly(A);
        assertThat(pool.audit.readValuesToList())
                .last()
                .satisfies(audit -> assertThat(audit.status()).isEqualTo(429));

        Duration toMidnight = Duration.between(
                pool.clock(),
                pool.clock().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(1)));
        pool.advance(toMidnight.minusSeconds(5));
        assertThat(pool.add(P, B).status()).as("the same UTC day").isEqualTo(429);
        pool.advance(Duration.ofSeconds(5)); // 00:00:00 UTC (each command moves the clock a second more)
        assertThat(pool.add(P, B).status()).as("a new UTC day").isEqualTo(200);
        assertThat(pool.poolInOrder(P)).containsExactly(A, B);
    }

    @Test
    void shouldAuditEveryMutationWithoutTokenContents() {
        project(new Expiration(1, 60L), null, null, 100);
        pool.add(P, A, B, C);
        pool.delete(P, A, "missing-0001");
        pool.use(P, B);
        pool.deleteByOrder(P, 1, Order.DESC);
        pool.get(P, C);
        pool.list(P, null);
        pool.add(P, A);
        pool.advance(Duration.ofSeconds(61));
        List<AuditRecord> records = pool.audit.readValuesToList();
        assertThat(records)
                .extracting(AuditRecord::action)
                .containsExactly(
                        "add_tokens", "delete_tokens", "use_token", "delete_by_order", "add_tokens", "expiry_sweep");
        assertThat(records.get(0).counts()).containsEntry("submitted", 3L).containsEntry("currentCount", 3L);
        assertThat(records.get(1).counts()).containsEntry("deleted", 1L).containsEntry("notFound", 1L);
        assertThat(records.get(0).actor()).isEqualTo("kafka");
        assertThat(records.get(0).correlationId()).isNotBlank();
        assertThat(records.get(5).actor()).isEqualTo("system:expiration");
        for (AuditRecord record : records) {
            String json = new String(Json.write(record));
            assertThat(json)
                    .doesNotContain(A)
                    .doesNotContain(B)
                    .doesNotContain(C)
                    .doesNotContain("missing-0001");
        }
    }

    @Test
    void shouldStartPastWhatItDeletedAndSkipNoLiveTokenWhenDeletingFromTheOldestEndAgain() {
        List<String> ids =
                IntStream.range(0, 10).mapToObj(i -> "token-%05d".formatted(i)).toList();
        pool.add(P, ids.subList(0, 5).toArray(String[]::new));
        pool.add(P, ids.subList(5, 10).toArray(String[]::new));
        pool.deleteByOrder(P, 3, Order.ASC);
        pool.delete(P, "token-00004");
        pool.add(P, "token-00000"); // back, at the newest end
        pool.deleteByOrder(P, 2, Order.ASC);
        assertThat(pool.poolInOrder(P))
                .containsExactly("token-00006", "token-00007", "token-00008", "token-00009", "token-00000");
        assertThat(pool.list(P, null).bodyAs(TokenList.class).data())
                .extracting(TokenList.Entry::tokenId)
                .containsExactly("token-00006", "token-00007", "token-00008", "token-00009", "token-00000");
        assertThat(pool.deleteByOrder(P, 10, Order.ASC)
                        .bodyAs(dev.tokenpool.schemas.DeleteByOrderResponse.class)
                        .summary()
                        .deleted())
                .isEqualTo(5);
    }

    @Nested
    class Listing {
        @Test
        void shouldListInRegistrationOrderWithTheCount() {
            pool.add(P, B, A);
            pool.add(P, C);
            String registeredAt = Timestamps.format(pool.clock());
            TokenList list = pool.list(P, null).bodyAs(TokenList.class);
            assertThat(list.count()).isEqualTo(3);
            assertThat(list.data()).extracting(TokenList.Entry::tokenId).containsExactly(B, A, C);
            assertThat(list.nextPageKeyId()).isNull();
            assertThat(list.data().get(2).updateTime()).isEqualTo(registeredAt);
        }

        @Test
        void shouldNeverSkipOrRepeatATokenThatStayedAcrossPages() {
            List<String> ids = IntStream.range(0, 25_000)
                    .mapToObj(i -> "token-%05d".formatted(i))
                    .toList();
            for (int i = 0; i < ids.size(); i += 500) {
                pool.add(P, ids.subList(i, i + 500).toArray(String[]::new));
            }
            TokenList first = pool.list(P, null).bodyAs(TokenList.class);
            assertThat(first.data()).hasSize(10_000);
            assertThat(first.count()).isEqualTo(25_000);
            assertThat(first.nextPageKeyId()).isEqualTo("token-10000");
            PageKey key = new PageKey(
                    first.nextPageKeyId(),
                    PageKey.parseTime(first.nextPageKeyTime()).orElseThrow());

            // Between pages: the key token is deleted, one further on is registered again (it moves to the end),
            // one already listed is deleted, and a new one arrives.
            pool.delete(P, "token-10000", "token-00005");
            pool.add(P, "token-12000");
            pool.add(P, "token-99999");

            List<String> seen = new ArrayList<>(
                    first.data().stream().map(TokenList.Entry::tokenId).toList());
            while (key != null) {
                TokenList page = pool.list(P, key).bodyAs(TokenList.class);
                page.data().forEach(entry -> seen.add(entry.tokenId()));
                key = page.nextPageKeyId() == null
                        ? null
                        : new PageKey(
                                page.nextPageKeyId(),
                                PageKey.parseTime(page.nextPageKeyTime()).orElseThrow());
            }
            List<String> stayed = new ArrayList<>(ids);
            stayed.remove("token-10000");
            assertThat(seen)
                    .doesNotHaveDuplicates()
                    .containsAll(stayed.stream()
                            .filter(id -> !id.equals("token-00005"))
                            .toList())
                    .contains("token-99999")
                    .hasSize(25_000);
        }
    }

    @Test
    void shouldReadTheKafkaCommandsLikeTheirHttpRequests() {
        pool.add(P, A);
        assertThat(pool.send(P, new PoolCommand.CountTokens()).bodyAs(TokenCount.class))
                .isEqualTo(TokenCount.of(1));
    }
}
