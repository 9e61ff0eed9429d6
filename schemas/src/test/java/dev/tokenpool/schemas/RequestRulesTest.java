package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RequestRulesTest {

    static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.parse(json.getBytes());
    }

    static ErrorResponse error(Validation<?> v) {
        assertThat(v).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid<?>) v).error();
    }

    static Object value(Validation<?> v) {
        assertThat(v).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid<?>) v).value();
    }

    @Test
    void shouldKeepTheIdsOfAddTokensInRequestOrder() throws Exception {
        assertThat(value(RequestRules.addTokens(body("{\"tokenId\":[\"tokenAAA1\",\"tokenBBB1\"]}"))))
                .isEqualTo(new PoolCommand.AddTokens(List.of("tokenAAA1", "tokenBBB1")));
    }

    @Test
    void shouldAnswerInvalidTokenIdForAMissingEmptyOrNonArrayTokenId() throws Exception {
        for (String json : List.of("{}", "{\"tokenId\":[]}", "{\"tokenId\":\"tokenAAA1\"}", "{\"tokenId\":null}")) {
            assertThat(error(RequestRules.addTokens(body(json))).errorCode())
                    .as(json)
                    .isEqualTo("invalid_token_id");
        }
    }

    @Test
    void shouldAnswerRequestTokenLimitExceededForMoreThan500Ids() throws Exception {
        ObjectNode fields = Json.MAPPER.createObjectNode();
        fields.set(
                "tokenId",
                Json.tree(IntStream.range(0, 501)
                        .mapToObj(i -> "token" + (100000 + i))
                        .toList()));
        assertThat(error(RequestRules.addTokens(fields)).errorCode()).isEqualTo("request_token_limit_exceeded");

        fields.set(
                "tokenId",
                Json.tree(IntStream.range(0, 500)
                        .mapToObj(i -> "token" + (100000 + i))
                        .toList()));
        assertThat(value(RequestRules.addTokens(fields))).isInstanceOf(PoolCommand.AddTokens.class);
    }

    @Test
    void shouldRejectTheRequestForAnyInvalidIdAndListEveryOffender() throws Exception {
        ErrorResponse error =
                error(RequestRules.addTokens(body("{\"tokenId\":[\"short01\",\"goodtoken1\",42,\"bad token1\"]}")));
        assertThat(error.errorCode()).isEqualTo("invalid_token_id_format");
        assertThat(error.errorMessage())
                .isEqualTo("One or more token IDs do not meet the required format specifications.");
        assertThat(error.errorDetails().invalidTokens())
                .extracting(t -> t.tokenId().toString(), InvalidToken::errorCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("\"short01\"", "invalid_token_id_length"),
                        org.assertj.core.groups.Tuple.tuple("42", "invalid_token_id_type"),
                        org.assertj.core.groups.Tuple.tuple("\"bad token1\"", "invalid_token_id_whitespace"));
    }

    @Test
    void shouldAnswerInvalidPayloadForUnknownFields() throws Exception {
        ErrorResponse error = error(RequestRules.addTokens(body("{\"tokenId\":[\"goodtoken1\"],\"tokenIds\":[]}")));
        assertThat(error.errorCode()).isEqualTo("invalid_payload");
        assertThat(error.errorMessage()).contains("'tokenIds'");
    }

    @Test
    void shouldChooseDeleteByIdsOrByOrderFromTheFields() throws Exception {
        assertThat(value(RequestRules.delete(body("{\"tokenId\":[\"goodtoken1\"]}"))))
                .isEqualTo(new PoolCommand.DeleteTokens(List.of("goodtoken1")));
        assertThat(value(RequestRules.delete(body("{\"count\":10,\"order\":\"desc\"}"))))
                .isEqualTo(new PoolCommand.DeleteByOrder(10, Order.DESC));
        assertThat(error(RequestRules.delete(body("{\"tokenId\":[\"goodtoken1\"],\"count\":1}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.delete(body("{}"))).errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void shouldApplyTheCountRulesOfDeleteByOrder() throws Exception {
        assertThat(error(RequestRules.deleteByOrder(body("{\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":0,\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":-3,\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":2.5,\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":\"10\",\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("invalid_payload");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":5001,\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("delete_token_limit_exceeded");
        assertThat(error(RequestRules.deleteByOrder(body("{\"count\":99999999999999999999,\"order\":\"asc\"}")))
                        .errorCode())
                .isEqualTo("delete_token_limit_exceeded");
        assertThat(value(RequestRules.deleteByOrder(body("{\"count\":5000,\"order\":\"asc\"}"))))
                .isEqualTo(new PoolCommand.DeleteByOrder(5000, Order.ASC));
        assertThat(value(RequestRules.deleteByOrder(body("{\"count\":1,\"order\":\"asc\"}"))))
                .isEqualTo(new PoolCommand.DeleteByOrder(1, Order.ASC));
    }

    @Test
    void shouldApplyTheOrderRulesOfDeleteByOrder() throws Exception {
        for (String order : List.of(
                "{\"count\":1}",
                "{\"count\":1,\"order\":\"ASC\"}",
                "{\"count\":1,\"order\":\"up\"}",
                "{\"count\":1,\"order\":1}")) {
            assertThat(error(RequestRules.deleteByOrder(body(order))).errorCode())
                    .as(order)
                    .isEqualTo("invalid_order");
        }
    }

    @Test
    void shouldNeedAWellFormedTokenIdToGetAToken() {
        assertThat(error(RequestRules.getToken((String) null)).errorCode()).isEqualTo("invalid_query_parameters");
        assertThat(error(RequestRules.getToken("")).errorCode()).isEqualTo("invalid_query_parameters");
        ErrorResponse bad = error(RequestRules.getToken("bad"));
        assertThat(bad.errorCode()).isEqualTo("invalid_token_id_format");
        assertThat(bad.errorDetails().invalidTokens())
                .singleElement()
                .extracting(InvalidToken::errorCode)
                .isEqualTo("invalid_token_id_length");
        assertThat(value(RequestRules.getToken("goodtoken1"))).isEqualTo(new PoolCommand.GetToken("goodtoken1"));
    }
}
