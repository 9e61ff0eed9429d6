package dev.tokenpool.schemas;

/** A token ID the pool could not write or delete: {tokenId, error, message}. */
public record FailedToken(String tokenId, String error, String message) {}
