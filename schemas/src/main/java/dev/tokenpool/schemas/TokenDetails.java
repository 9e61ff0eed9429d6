package dev.tokenpool.schemas;

/** Answer to GET of one token: its ID and when it was (last) registered ({@link Timestamps} format). */
public record TokenDetails(String tokenId, String registeredAt) implements ResponseBody {
}
