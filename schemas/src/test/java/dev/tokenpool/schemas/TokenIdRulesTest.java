package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenIdRulesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "user001a",
                "api.key.01",
                "token-123-abc",
                "session_data_01",
                "A1234567",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void shouldAcceptWellFormedTokenIds(String tokenId) {
        assertThat(TokenIdRules.violation(tokenId)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "short01|invalid_token_id_length",
                "a2345678901234567890123456789012345678901234567890123456789012345|invalid_token_id_length",
                "'abc def12'|invalid_token_id_whitespace",
                "'abc\tdef12'|invalid_token_id_whitespace",
                "abc$def12|invalid_token_id_characters",
                "-abcdef12|invalid_token_id_start",
                ".abcdef12|invalid_token_id_start",
                "abcdef12_|invalid_token_id_end",
                "abcdef12.|invalid_token_id_end",
                // precedence: length before whitespace, whitespace before characters, characters before start
                "'a b'|invalid_token_id_length",
                "'-ab $cdef'|invalid_token_id_whitespace",
                "-abc$def|invalid_token_id_characters",
                "-abcdef-|invalid_token_id_start",
            })
    void shouldReportTheFirstBrokenRule(String tokenId, String code) {
        assertThat(TokenIdRules.violation(tokenId)).map(ErrorCode::code).contains(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdef\nxy", "abcdef\u00a0xy"})
    void shouldTreatNewlinesAndUnicodeSpacesAsWhitespace(String tokenId) {
        assertThat(TokenIdRules.violation(tokenId)).contains(ErrorCode.INVALID_TOKEN_ID_WHITESPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ééééé", "éééé"})
    void shouldCountTheLengthInUtf8Bytes(String tokenId) {
        // 5 × 2 bytes = 10 bytes is long enough, so the characters rule decides; 4 × 2 = 8 bytes too.
        assertThat(TokenIdRules.violation(tokenId)).contains(ErrorCode.INVALID_TOKEN_ID_CHARACTERS);
    }

    @org.junit.jupiter.api.Test
    void nonStringValuesAreATypeError() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(TokenIdRules.violation(f.numberNode(12345678))).contains(ErrorCode.INVALID_TOKEN_ID_TYPE);
        assertThat(TokenIdRules.violation(f.nullNode())).contains(ErrorCode.INVALID_TOKEN_ID_TYPE);
        assertThat(TokenIdRules.violation(f.objectNode())).contains(ErrorCode.INVALID_TOKEN_ID_TYPE);
        assertThat(TokenIdRules.violation(f.textNode("goodtoken1"))).isEmpty();
    }
}
