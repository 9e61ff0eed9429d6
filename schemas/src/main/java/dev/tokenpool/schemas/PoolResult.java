package dev.tokenpool.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result event: the answer to one command, sent to the command's {@code replyTo} topic. It holds
 * the HTTP status and the exact response body, so an HTTP front only has to forward them.
 */
public record PoolResult(int version, String correlationId, String replyTo, int status, JsonNode body) {
    public static final int VERSION = 1;

    public static PoolResult answer(ReplyAddress to, int status, ResponseBody body) {
        return new PoolResult(VERSION, to.correlationId(), to.replyTo(), status, Json.tree(body));
    }

    public static PoolResult ok(ReplyAddress to, ResponseBody body) {
        return answer(to, 200, body);
    }

    public static PoolResult error(ReplyAddress to, ErrorResponse error) {
        return answer(to, error.httpStatus(), error);
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
