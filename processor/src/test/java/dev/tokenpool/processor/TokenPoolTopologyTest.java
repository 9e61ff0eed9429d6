package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.DeleteTokensResponse;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TokenDetails;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TokenPoolTopologyTest {
    static final String PROJECT = "project-1";
    static final String A = "tokenA-0001", B = "tokenB-0001", C = "tokenC-0001", D = "tokenD-0001";

    PoolHarness pool = new PoolHarness();

    @AfterEach
    void close() {
        pool.close();
    }

    static String error(PoolResult result) {
        assertThat(result.status()).isEqualTo(400);
        return result.bodyAs(ErrorResponse.class).errorCode();
    }

    static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> prefix + String.format("%06d", i))
                .toList();
    }

    @Nested
    class AddingTokens {
        @Test
        void shouldRegisterTokensAndAnswerWithTheSpecSuccessShape() {
            PoolResult result = pool.add(PROJECT, "user001a", "api.key.01", "token-123-abc", "session_data_01");
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).isEqualTo(json("""
                    {"success":true,"message":"All tokens are now in the pool",
                     "summary":{"totalSubmitted":4,"currentCount":4,"processed":4,"failed":0}}"""));
        }

        @Test
        void shouldOverwriteExistingIdsWithoutErrorAsTheSpecExampleSays() {
            pool.add(PROJECT, A, B, C);
            AddTokensResponse response = pool.add(PROJECT, A, C, D).bodyAs(AddTokensResponse.class);
            assertThat(response.success()).isTrue();
            assertThat(response.summary()).isEqualTo(new AddTokensResponse.Summary(3, 4, 3, 0));
            assertThat(pool.poolInOrder(PROJECT)).containsExactlyInAnyOrder(A, B, C, D);
        }

        @Test
        void shouldMoveAnOverwrittenIdToTheNewestEndOfTheOrder() {
            pool.add(PROJECT, A, B, C);
            pool.add(PROJECT, A);
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(B, C, A);
            assertThat(pool.deleteByOrder(PROJECT, 1, Order.DESC)
                            .bodyAs(DeleteByOrderResponse.class)
                            .summary()
                            .deleted())
                    .isEqualTo(1);
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(B, C);
        }

        @Test
        void shouldGiveAnOverwrittenIdANewRegistrationTime() {
            pool.add(PROJECT, A);
            pool.add(PROJECT, A);
            assertThat(pool.get(PROJECT, A).bodyAs(TokenDetails.class).data().updateTime())
                    .isEqualTo(Timestamps.format(pool.clock().minusSeconds(1)));
        }

        @Test
        void shouldCountDuplicatesInsideOneRequestAsSubmittedAndProcessed() {
            AddTokensResponse response = pool.add(PROJECT, A, A, B).bodyAs(AddTokensResponse.class);
            assertThat(response.summary()).isEqualTo(new AddTokensResponse.Summary(3, 2, 3, 0));
        }

        @Test
        void shouldAnswerRequestTokenLimitExceededForMoreThan500Ids() {
            assertThat(error(pool.send(PROJECT, new PoolCommand.AddTokens(ids("tok", 501)))))
                    .isEqualTo("request_token_limit_exceeded");
            assertThat(pool.send(PROJECT, new PoolCommand.AddTokens(ids("tok", 500)))
                            .status())
                    .isEqualTo(200);
        }

        @Test
        void shouldRejectTheWholeRequestForOneInvalidIdAndWriteNothing() {
            pool.pipe(PROJECT, command("add_tokens", "\"tokenId\":[\"" + A + "\",\"short01\",7,\"-leading1\"]"));
            ErrorResponse error = pool.onlyResult().bodyAs(ErrorResponse.class);
            assertThat(error.errorCode()).isEqualTo("invalid_token_id_format");
            assertThat(error.errorDetails().invalidTokens())
                    .extracting(t -> t.tokenId().asText(), t -> t.errorCode())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("short01", "invalid_token_id_length"),
                            org.assertj.core.groups.Tuple.tuple("7", "invalid_token_id_type"),
                            org.assertj.core.groups.Tuple.tuple("-leading1", "invalid_token_id_start"));
            assertThat(pool.poolInOrder(PROJECT)).isEmpty();
        }

        @Test
        void shouldAnswerInvalidTokenIdForAMissingEmptyOrNonArrayTokenId() {
            for (String fields : List.of(
                    "\"tokenId\":[]",
                    "\"tokenId\":\"" + A + "\"",
                    "\"tokenId\":null",
                    "\"tokenId\":{}",
                    "\"tokenId\":12345678")) {
                pool.pipe(PROJECT, command("add_tokens", fields));
                assertThat(error(pool.onlyResult())).as(fields).isEqualTo("invalid_token_id");
            }
            pool.pipe(
                    PROJECT,
                    "{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"c\",\"replyTo\":\""
                            + PoolHarness.REPLY_TOPIC + "\"}");
            assertThat(error(pool.onlyResult())).as("no tokenId at all").isEqualTo("invalid_token_id");
        }
    }

    @Nested
    class PoolLimit {
        PoolHarness small = new PoolHarness();

        {
            small.registerProject(PROJECT, 3);
        }

        @AfterEach
        void closeSmall() {
            small.close();
        }

        @Test
        void shouldRefuseTheWholeRequestForNewIdsPastTheLimitAndWriteNothing() {
            small.add(PROJECT, A, B);
            PoolResult refused = small.add(PROJECT, A, C, D);
            assertThat(error(refused)).isEqualTo("token_limit_exceeded");
            assertThat(refused.bodyAs(ErrorResponse.class).errorMessage()).contains("limit of 3");
            assertThat(small.poolInOrder(PROJECT)).containsExactly(A, B);
        }

        @Test
        void shouldNotCountExistingIdsTowardsTheLimit() {
            small.add(PROJECT, A, B, C);
            assertThat(small.add(PROJECT, A, B, C)
                            .bodyAs(AddTokensResponse.class)
                            .summary()
                            .currentCount())
                    .isEqualTo(3);
            assertThat(error(small.add(PROJECT, D))).isEqualTo("token_limit_exceeded");
        }

        @Test
        void shouldCountDuplicatesOfANewIdOnceTowardsTheLimit() {
            small.add(PROJECT, A, B);
            assertThat(small.add(PROJECT, C, C, C)
                            .bodyAs(AddTokensResponse.class)
                            .summary()
                            .currentCount())
                    .isEqualTo(3);
        }

        @Test
        void shouldMakeRoomAgainByDeleting() {
            small.add(PROJECT, A, B, C);
            small.delete(PROJECT, A);
            assertThat(small.add(PROJECT, D).status()).isEqualTo(200);
        }
    }

    @Nested
    class DeletingByIds {
        @Test
        void shouldDeleteExistingIdsAndReportTheMissingOnesAsTheSpecExampleSays() {
            pool.add(PROJECT, A, B, C);
            PoolResult result = pool.delete(PROJECT, A, C, D);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).isEqualTo(json("""
                    {"success":false,"message":"Successfully deleted 2 tokens",
                     "summary":{"totalSubmitted":3,"deleted":2,"notFound":1,"failed":0},
                     "details":{"notFound":["tokenD-0001"]}}"""));
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(B);
        }

        @Test
        void shouldSucceedWhenEveryIdWasFound() {
            pool.add(PROJECT, A, B, C);
            assertThat(pool.delete(PROJECT, A, B, C).body()).isEqualTo(json("""
                    {"success":true,"message":"Successfully deleted 3 tokens",
                     "summary":{"totalSubmitted":3,"deleted":3,"notFound":0,"failed":0}}"""));
            assertThat(pool.poolInOrder(PROJECT)).isEmpty();
        }

        @Test
        void shouldProcessIdsInOrderSoARepeatedIdIsNotFoundTheSecondTime() {
            pool.add(PROJECT, A);
            DeleteTokensResponse response = pool.delete(PROJECT, A, A).bodyAs(DeleteTokensResponse.class);
            assertThat(response.summary()).isEqualTo(new DeleteTokensResponse.Summary(2, 1, 1, 0));
            assertThat(response.details().notFound()).containsExactly(A);
        }

        @Test
        void shouldTakeDeletedTokensOutOfTheCount() {
            pool.add(PROJECT, A, B, C);
            pool.delete(PROJECT, B);
            assertThat(pool.add(PROJECT, D)
                            .bodyAs(AddTokensResponse.class)
                            .summary()
                            .currentCount())
                    .isEqualTo(3);
        }

        @Test
        void shouldAnswerRequestTokenLimitExceededForMoreThan500Ids() {
            assertThat(error(pool.send(PROJECT, new PoolCommand.DeleteTokens(ids("tok", 501)))))
                    .isEqualTo("request_token_limit_exceeded");
        }

        @Test
        void shouldRejectTheRequestForMalformedIds() {
            pool.add(PROJECT, A);
            pool.pipe(PROJECT, command("delete_tokens", "\"tokenId\":[\"" + A + "\",\"bad id!\"]"));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_token_id_format");
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(A);
        }
    }

    @Nested
    class DeletingByOrder {
        @Test
        void shouldDeleteTheOldestFirstForAsc() {
            pool.add(PROJECT, A, B);
            pool.add(PROJECT, C, D);
            assertThat(pool.deleteByOrder(PROJECT, 3, Order.ASC).body()).isEqualTo(json("""
                    {"success":true,"message":"Successfully deleted 3 tokens","summary":{"deleted":3,"failed":0}}"""));
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(D);
        }

        @Test
        void shouldDeleteTheNewestFirstForDesc() {
            pool.add(PROJECT, A, B, C, D);
            pool.deleteByOrder(PROJECT, 2, Order.DESC);
            assertThat(pool.poolInOrder(PROJECT)).containsExactly(A, B);
        }

        @Test
        void shouldDeleteWhatThereIsWhenAskedForMoreThanThePoolHolds() {
            pool.add(PROJECT, A, B);
            assertThat(pool.deleteByOrder(PROJECT, 5000, Order.ASC).bodyAs(DeleteByOrderResponse.class))
                    .isEqualTo(DeleteByOrderResponse.of(2));
            assertThat(pool.deleteByOrder(PROJECT, 1, Order.ASC).bodyAs(DeleteByOrderResponse.class))
                    .isEqualTo(DeleteByOrderResponse.of(0));
            assertThat(pool.add(PROJECT, C)
                            .bodyAs(AddTokensResponse.class)
                            .summary()
                            .currentCount())
                    .isEqualTo(1);
        }

        @Test
        void shouldNeverReachIntoAnotherProjectsPool() {
            pool.add("aaa", A);
            pool.add(PROJECT, B);
            pool.add("zzz", C);
            pool.deleteByOrder(PROJECT, 10, Order.ASC);
            pool.deleteByOrder(PROJECT, 10, Order.DESC);
            assertThat(pool.poolInOrder("aaa")).containsExactly(A);
            assertThat(pool.poolInOrder("zzz")).containsExactly(C);
        }

        @Test
        void shouldUseTheSpecErrorCodesForCountAndOrderRules() {
            pool.pipe(PROJECT, command("delete_by_order", "\"count\":5001,\"order\":\"asc\""));
            assertThat(error(pool.onlyResult())).isEqualTo("delete_token_limit_exceeded");
            for (String count : List.of("0", "-1", "2.5", "\"10\"", "null")) {
                pool.pipe(PROJECT, command("delete_by_order", "\"count\":" + count + ",\"order\":\"asc\""));
                assertThat(error(pool.onlyResult())).as(count).isEqualTo("invalid_payload");
            }
            pool.pipe(PROJECT, command("delete_by_order", "\"order\":\"asc\""));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_payload");
            for (String order : List.of("\"order\":\"random\"", "\"order\":\"ASC\"", "\"order\":1")) {
                pool.pipe(PROJECT, command("delete_by_order", "\"count\":1," + order));
                assertThat(error(pool.onlyResult())).as(order).isEqualTo("invalid_order");
            }
            pool.pipe(PROJECT, command("delete_by_order", "\"count\":1"));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_order");
        }
    }

    @Nested
    class GettingOneToken {
        @Test
        void shouldAnswerWithTheRegistrationTimeInIsoUtcWithMilliseconds() {
            pool.add(PROJECT, A);
            String registeredAt = Timestamps.format(pool.clock());
            PoolResult result = pool.get(PROJECT, A);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.bodyAs(TokenDetails.class)).isEqualTo(TokenDetails.of(A, registeredAt, false, 0, null));
            assertThat(Json.write(result.body()))
                    .asString()
                    .isEqualTo("{\"success\":true,\"tokenId\":\"" + A + "\",\"data\":{\"tokenId\":\"" + A
                            + "\",\"updateTime\":\"2026-11-24T08:00:01.000Z\",\"expired\":false,\"uses\":0}}");
        }

        @Test
        void shouldAnswerTokenIdNotFoundForAnUnknownToken() {
            assertThat(error(pool.get(PROJECT, A))).isEqualTo("token_id_not_found");
            pool.add(PROJECT, A);
            pool.delete(PROJECT, A);
            assertThat(error(pool.get(PROJECT, A))).isEqualTo("token_id_not_found");
        }

        @Test
        void shouldAnswerAFormatErrorForAMalformedTokenId() {
            pool.pipe(PROJECT, command("get_token", "\"tokenId\":\"bad\""));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_token_id_format");
        }
    }

    @Nested
    class Projects {
        @Test
        void shouldGiveEachProjectItsOwnPool() {
            pool.add("project-x", A);
            assertThat(error(pool.get("project-y", A))).isEqualTo("token_id_not_found");
            assertThat(pool.add("project-y", B)
                            .bodyAs(AddTokensResponse.class)
                            .summary()
                            .currentCount())
                    .isEqualTo(1);
        }

        @Test
        void shouldAnswerInvalidProjectForACommandWithoutAProjectKey() {
            pool.pipe(null, command("get_token", "\"tokenId\":\"" + A + "\""));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_project");
            pool.pipe("bad project", command("get_token", "\"tokenId\":\"" + A + "\""));
            assertThat(error(pool.onlyResult())).isEqualTo("invalid_project");
        }
    }

    static String command(String type, String fields) {
        return "{\"version\":1,\"type\":\"" + type + "\",\"correlationId\":\"c-raw\",\"replyTo\":\""
                + PoolHarness.REPLY_TOPIC + "\"," + fields + "}";
    }

    static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
