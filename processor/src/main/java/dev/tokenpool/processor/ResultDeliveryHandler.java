package dev.tokenpool.processor;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when Kafka refuses a record the topology writes. A result or dead letter that cannot be
 * written (its topic deleted since it was checked, a record too large) is logged and dropped: the
 * command's own writes still commit, and the caller gets no answer (a gateway answers 504, "may be
 * applied"), but no single record can stop the topology or make it retry the same write forever. A
 * changelog, event or audit write that fails is fatal for the transaction: the pool state, and the
 * record of what happened to it, must never be lost.
 */
public final class ResultDeliveryHandler implements ProductionExceptionHandler {
    /** Streams settings naming the events and audit topics, so that this handler knows them. */
    static final String EVENTS_TOPIC_CONFIG = "tokenpool.events.topic";

    static final String AUDIT_TOPIC_CONFIG = "tokenpool.audit.topic";
    private static final Logger log = LoggerFactory.getLogger(ResultDeliveryHandler.class);
    private Set<String> mustWrite = Set.of();

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return decide(record.topic(), exception, mustWrite);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        return decide(record.topic(), exception, mustWrite);
    }

    static Response decide(String topic, Exception exception, Set<String> mustWrite) {
        if (topic.endsWith("-changelog") || mustWrite.contains(topic)) {
            log.error("could not write to {}: {}", topic, exception.toString());
            return Response.fail();
        }
        log.warn("could not write a record to {}; it is dropped: {}", topic, exception.toString());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        mustWrite = Stream.of(configs.get(EVENTS_TOPIC_CONFIG), configs.get(AUDIT_TOPIC_CONFIG))
                .filter(Objects::nonNull)
                .map(Object::toString)
                .collect(Collectors.toUnmodifiableSet());
    }
}
