package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer to GET of one token and to its use: {success, tokenId, data{tokenId, updateTime, expired,
 * uses, expiresAt?}}. {@code updateTime} is the last registration; {@code expiresAt} is shown when the
 * project's tokens expire by time.
 */
public record TokenDetails(boolean success, String tokenId, Data data) implements ResponseBody {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String tokenId, String updateTime, boolean expired, int uses, String expiresAt) {}

    public static TokenDetails of(String tokenId, String updateTime, boolean expired, long uses, String expiresAt) {
        int shown = (int) Math.min(uses, Integer.MAX_VALUE);
        return new TokenDetails(true, tokenId, new Data(tokenId, updateTime, expired, shown, expiresAt));
    }
}
