package dev.tokenpool.processor;

import java.util.Map;
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
 * changelog write that fails is fatal for the transaction: the pool state must never be lost.
 */
public final class ResultDeliveryHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ResultDeliveryHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return decide(record.topic(), exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return decide(record.topic(), exception);
    }

    static Response decide(String topic, Exception exception) {
        if (topic.endsWith("-changelog")) {
            log.error("could not write pool state to {}: {}", topic, exception.toString());
            return Response.fail();
        }
        log.warn("could not write a record to {}; it is dropped: {}", topic, exception.toString());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
