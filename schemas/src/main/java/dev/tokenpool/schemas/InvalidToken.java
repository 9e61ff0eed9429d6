package dev.tokenpool.schemas;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One token ID that breaks the format rules. {@code tokenId} is the value exactly as sent, so a
 * number or an object shows up as itself rather than as a string.
 */
public record InvalidToken(JsonNode tokenId, String errorCode, String errorMessage) {

    public static InvalidToken of(JsonNode tokenId, ErrorCode code) {
        return new InvalidToken(tokenId, code.code(), code.defaultMessage());
    }
}
