package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result event: the answer to one command, sent to the command's {@code replyTo} topic. It holds
 * the HTTP status and the exact response body, so an HTTP front only has to forward them.
 *
 * @param replayed true when this is the stored result of an earlier command with the same idempotency key,
 *     answered again to a retry that was not applied; absent otherwise
 * @param retryAfterSeconds with a 429, how long until a retry can be served (an HTTP gateway answers it as
 *     Retry-After); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolResult(
        int version,
        String correlationId,
        String replyTo,
        int status,
        JsonNode body,
        Boolean replayed,
        Long retryAfterSeconds) {
    public static final int VERSION = 1;
    /**
     * The largest result record, before compression: a list page of 10,000 tokens is about 1 MB of JSON, Kafka's
     * default record limit, so the processor may send, and a gateway's reply topic takes, up to 8 MB.
     */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    /** The answer with the body's own status: 200 for a success shape, the catalogue's for an error. */
    public static PoolResult of(ReplyAddress to, ResponseBody body) {
        return new PoolResult(
                VERSION, to.correlationId(), to.replyTo(), body.httpStatus(), Json.tree(body), null, null);
    }

    /** A refusal that a retry after {@code retryAfterSeconds} may get past (a 429). */
    public static PoolResult retryLater(ReplyAddress to, ErrorResponse error, long retryAfterSeconds) {
        return new PoolResult(
                VERSION,
                to.correlationId(),
                to.replyTo(),
                error.httpStatus(),
                Json.tree(error),
                null,
                retryAfterSeconds);
    }

    /** A stored result answered again, to the retry at {@code to}. */
    public static PoolResult replay(ReplyAddress to, int status, JsonNode body) {
        return new PoolResult(VERSION, to.correlationId(), to.replyTo(), status, body, true, null);
    }

    /** Whether this answers a retry with the stored result of the first command with its idempotency key. */
    @JsonIgnore
    public boolean isReplay() {
        return Boolean.TRUE.equals(replayed);
    }

    /** The body as one of the typed response records, for Java consumers. */
    public <T extends ResponseBody> T bodyAs(Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result body is not a " + type.getSimpleName() + ": " + body, e);
        }
    }
}
