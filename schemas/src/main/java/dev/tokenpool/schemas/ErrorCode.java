package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The error catalogue: every code the API answers with, its HTTP status and its default message.
 * Codes and statuses are the public API's; messages the spec does not give are ours.
 */
public enum ErrorCode {
    INVALID_PAYLOAD("invalid_payload", 400, "Missing request payload or format error."),
    INVALID_PATH("invalid_path", 400, "Unsupported HTTP method."),
    INVALID_PROJECT("invalid_project", 400, "Missing project ID or invalid API key."),
    INVALID_QUERY_PARAMETERS("invalid_query_parameters", 400, "Missing query parameters or format error."),
    INVALID_ORDER("invalid_order", 400, "order must be 'asc' or 'desc'."),
    INTERNAL_SERVER_ERROR("internal_server_error", 500, "Internal server error."),

    INVALID_TOKEN_ID("invalid_token_id", 400, "tokenId is missing, empty, or not an array."),
    INVALID_TOKEN_ID_FORMAT(
            "invalid_token_id_format", 400, "One or more token IDs do not meet the required format specifications."),
    INVALID_TOKEN_ID_TYPE("invalid_token_id_type", 400, "Token ID must be a string."),
    INVALID_TOKEN_ID_LENGTH(
            "invalid_token_id_length",
            400,
            "Token ID length must be between 8 and 64 characters. Please adjust the token length."),
    INVALID_TOKEN_ID_WHITESPACE(
            "invalid_token_id_whitespace", 400, "Token ID must not contain spaces, tabs, or newline characters."),
    INVALID_TOKEN_ID_CHARACTERS(
            "invalid_token_id_characters",
            400,
            "Token ID may contain only letters (a-z, A-Z), numbers (0-9), hyphens (-), underscores (_) and periods (.)."),
    INVALID_TOKEN_ID_START("invalid_token_id_start", 400, "Token ID must start with a letter or number."),
    INVALID_TOKEN_ID_END("invalid_token_id_end", 400, "Token ID must end with a letter or number."),
    REQUEST_TOKEN_LIMIT_EXCEEDED(
            "request_token_limit_exceeded",
            400,
            "Request token count limit exceeded: at most 500 token IDs per request."),
    TOKEN_LIMIT_EXCEEDED("token_limit_exceeded", 400, "Project token total count limit exceeded."),
    TOKEN_ID_NOT_FOUND("token_id_not_found", 400, "Requested token does not exist in pool."),
    TOKEN_EXPIRED("token_expired", 400, "The token has expired."),
    DELETE_TOKEN_LIMIT_EXCEEDED(
            "delete_token_limit_exceeded",
            400,
            "Time-based bulk deletion request count exceeded: count must be at most 5000."),

    // Answers of the gateway itself, beyond the public catalogue.
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "Request body is too large."),
    REQUEST_TIMEOUT(
            "request_timeout",
            504,
            "No result arrived in time. The command may still be applied: retry with the same Idempotency-Key, or read the pool before retrying."),
    SERVICE_UNAVAILABLE("service_unavailable", 503, "The service cannot take this request now. Retry later."),
    RATE_LIMIT_EXCEEDED(
            "rate_limit_exceeded",
            429,
            "Too many requests: this project's rate limit or daily quota is reached. Retry after the time Retry-After says."),
    IDEMPOTENCY_KEY_REUSED(
            "idempotency_key_reused",
            422,
            "This Idempotency-Key was used with another request: nothing was applied. Use a new key for a new request."),
    IDEMPOTENCY_KEY_LIMIT_EXCEEDED(
            "idempotency_key_limit_exceeded",
            429,
            "This project holds as many idempotency keys as it may: nothing was applied. Retry after the time Retry-After says, or without a key."),
    UNAUTHORIZED("unauthorized", 401, "Missing or wrong x-admin-key."),
    PROJECT_NOT_FOUND("project_not_found", 404, "No project with this ID.");

    private final String code;
    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(String code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The response body for this code with its default message. */
    public ErrorResponse response() {
        return new ErrorResponse(code, defaultMessage, null);
    }

    /** The response body for this code with a message that says more than the default. */
    public ErrorResponse response(String message) {
        return new ErrorResponse(code, message, null);
    }

    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown error code: " + code);
    }
}
