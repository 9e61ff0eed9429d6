package dev.tokenpool.processor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Headers a dead letter carries next to the untouched original key and value. */
public final class DeadLetters {
    public static final String REASON = "tokenpool.dead-letter.reason";
    public static final String SOURCE = "tokenpool.dead-letter.source";

    private DeadLetters() {}

    /**
     * The dead letter of {@code original}, timestamped {@code nowMillis}: the retention of the dead-letter topic bounds
     * how long the command's token IDs stay, which a producer's far-off timestamp would defeat.
     */
    static Record<String, Object> of(
            Record<String, byte[]> original, String reason, RecordMetadata source, long nowMillis) {
        Headers headers = new RecordHeaders(original.headers().toArray());
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        if (source != null) {
            String where = source.topic() + "-" + source.partition() + "@" + source.offset();
            headers.add(SOURCE, where.getBytes(StandardCharsets.UTF_8));
        }
        return new Record<>(original.key(), original.value(), nowMillis, headers);
    }

    /** The reason header of a dead letter, for readers of the dead-letter topic. */
    public static String reason(Headers headers) {
        var header = headers.lastHeader(REASON);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
