package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class ResultDeliveryHandlerTest {

    @Test
    void shouldDropAResultOrDeadLetterThatCannotBeWritten() {
        assertThat(ResultDeliveryHandler.decide("tokenpool.replies.gw-1", new UnknownTopicOrPartitionException("gone")).result())
                .isEqualTo(Result.RESUME);
        assertThat(ResultDeliveryHandler.decide("tokenpool.dead-letters", new RecordTooLargeException("big")).result())
                .isEqualTo(Result.RESUME);
    }

    @Test
    void shouldFailWhenPoolStateCannotBeWritten() {
        assertThat(ResultDeliveryHandler.decide("tokenpool-processor-pool-tokens-changelog", new RecordTooLargeException("big"))
                .result()).isEqualTo(Result.FAIL);
    }

    @Test
    void shouldBeTheProcessorsHandler() {
        assertThat(ProcessorSettings.fromEnv(java.util.Map.of()).streamsProperties()
                .get(org.apache.kafka.streams.StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(ResultDeliveryHandler.class);
    }
}
