package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class ResultDeliveryHandlerTest {
    static final java.util.Set<String> MUST = java.util.Set.of("tokenpool.events", "tokenpool.audit");

    @Test
    void shouldDropAResultOrDeadLetterThatCannotBeWritten() {
        assertThat(ResultDeliveryHandler.decide(
                                "tokenpool.replies.gw-1", new UnknownTopicOrPartitionException("gone"), MUST)
                        .result())
                .isEqualTo(Result.RESUME);
        assertThat(ResultDeliveryHandler.decide("tokenpool.dead-letters", new RecordTooLargeException("big"), MUST)
                        .result())
                .isEqualTo(Result.RESUME);
    }

    @Test
    void shouldFailWhenPoolStateCannotBeWritten() {
        assertThat(ResultDeliveryHandler.decide(
                                "tokenpool-processor-pool-tokens-changelog", new RecordTooLargeException("big"), MUST)
                        .result())
                .isEqualTo(Result.FAIL);
        assertThat(ResultDeliveryHandler.decide("tokenpool.audit", new RecordTooLargeException("big"), MUST)
                        .result())
                .as("the record of a change is part of it")
                .isEqualTo(Result.FAIL);
    }

    @Test
    void shouldBeTheProcessorsHandlerAndKnowTheEventAndAuditTopics() {
        var props = ProcessorSettings.fromEnv(java.util.Map.of("TOKENPOOL_AUDIT_TOPIC", "my.audit"))
                .streamsProperties();
        assertThat(props.get(org.apache.kafka.streams.StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(ResultDeliveryHandler.class);
        ResultDeliveryHandler handler = new ResultDeliveryHandler();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> configs = (java.util.Map<String, Object>) (java.util.Map<?, ?>) props;
        handler.configure(configs);
        assertThat(handler.handleSerializationError(
                                null,
                                new org.apache.kafka.clients.producer.ProducerRecord<>("my.audit", "v"),
                                new RuntimeException("x"),
                                null)
                        .result())
                .isEqualTo(Result.FAIL);
    }
}
