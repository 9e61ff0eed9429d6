package dev.tokenpool.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result event: the answer to one command, sent to the command's {@code replyTo} topic. It holds
 * the HTTP status and the exact response body, so an HTTP front only has to forward them.
 */
public record PoolResult(int version, String correlationId, String replyTo, int status, JsonNode body) {
    public static final int VERSION = 1;
    /**
     * The largest result record, before compression: a list page of 10,000 tokens is about 1 MB of JSON, Kafka's
     * default record limit, so the processor may send, and a gateway's reply topic takes, up to 8 MB.
     */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    /** The answer with the body's own status: 200 for a success shape, the catalogue's for an error. */
    public static PoolResult of(ReplyAddress to, ResponseBody body) {
        return new PoolResult(VERSION, to.correlationId(), to.replyTo(), body.httpStatus(), Json.tree(body));
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
