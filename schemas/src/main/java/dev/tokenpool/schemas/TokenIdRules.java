package dev.tokenpool.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The token ID format: 8 to 64 bytes (UTF-8) of letters, digits, '-', '_' and '.', with no
 * whitespace, starting and ending with a letter or digit. A token ID that breaks several rules gets
 * the first code in this order: type, length, whitespace, characters, start, end.
 */
public final class TokenIdRules {
    public static final int MIN_BYTES = 8;
    public static final int MAX_BYTES = 64;

    private TokenIdRules() {}

    /** The rule the JSON value breaks, or empty when it is a well-formed token ID. */
    public static Optional<ErrorCode> violation(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_TYPE);
        }
        return violation(value.textValue());
    }

    /** The rule the string breaks, or empty when it is a well-formed token ID. */
    public static Optional<ErrorCode> violation(String tokenId) {
        int bytes = tokenId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_LENGTH);
        }
        if (tokenId.codePoints().anyMatch(TokenIdRules::isWhitespace)) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_WHITESPACE);
        }
        if (!tokenId.chars().allMatch(TokenIdRules::isAllowed)) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_CHARACTERS);
        }
        if (!isAlphanumeric(tokenId.charAt(0))) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_START);
        }
        if (!isAlphanumeric(tokenId.charAt(tokenId.length() - 1))) {
            return Optional.of(ErrorCode.INVALID_TOKEN_ID_END);
        }
        return Optional.empty();
    }

    public static boolean isValid(String tokenId) {
        return tokenId != null && violation(tokenId).isEmpty();
    }

    private static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static boolean isAllowed(int c) {
        return isAlphanumeric(c) || c == '-' || c == '_' || c == '.';
    }

    private static boolean isAlphanumeric(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
