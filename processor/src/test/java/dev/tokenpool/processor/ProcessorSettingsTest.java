package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.runtime.Env;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    @Test
    void shouldRefuseAnyGuaranteeButExactlyOnce() {
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(Map.of("TOKENPOOL_PROCESSING_GUARANTEE", "at_least_once")))
                .isInstanceOf(Env.BadSetting.class)
                .hasMessage("TOKENPOOL_PROCESSING_GUARANTEE must be one of exactly_once_v2, not 'at_least_once'");
    }

    @Test
    void shouldRunExactlyOnceWithTransactionalStateStores() {
        var props = ProcessorSettings.fromEnv(Map.of("TOKENPOOL_PROCESSING_GUARANTEE", "exactly_once_v2"))
                .streamsProperties();
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG))
                .as("a kill -9 keeps the local state")
                .isEqualTo(true);
    }

    @Test
    void shouldKeepStandbyCopiesOnlyWhenAsked() {
        assertThat(ProcessorSettings.fromEnv(Map.of())
                        .streamsProperties()
                        .get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG))
                .isEqualTo(0);
        assertThat(ProcessorSettings.fromEnv(Map.of("TOKENPOOL_STANDBY_REPLICAS", "1"))
                        .streamsProperties()
                        .get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG))
                .isEqualTo(1);
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(Map.of("TOKENPOOL_STANDBY_REPLICAS", "-1")))
                .isInstanceOf(Env.BadSetting.class)
                .hasMessageContaining("TOKENPOOL_STANDBY_REPLICAS");
    }

    @Test
    void shouldCommitOnceTheIntervalHasPassedNotAMillisecondLater() {
        var props = ProcessorSettings.fromEnv(Map.of("TOKENPOOL_COMMIT_INTERVAL_MS", "10"))
                .streamsProperties();
        // Streams commits once more than commit.interval.ms has passed: more than 9 ms on its clock is 10 ms.
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(9L);
        assertThat(ProcessorSettings.fromEnv(Map.of("TOKENPOOL_COMMIT_INTERVAL_MS", "1"))
                        .streamsProperties()
                        .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .as("every loop that is a millisecond later")
                .isEqualTo(0L);
    }

    /**
     * Only the project-settings reader, which sends nothing but fetches, lets the broker hold a fetch long: the
     * stream thread's consumer asks for offsets when partitions move, and those would queue behind a held fetch.
     */
    @Test
    void shouldLetOnlyTheProjectSettingsReaderWaitLongForData() {
        var config = new StreamsConfig(ProcessorSettings.fromEnv(Map.of()).streamsProperties());
        assertThat(config.getGlobalConsumerConfigs("c").get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))
                .isEqualTo((int) dev.tokenpool.runtime.HeldFetches.WAIT.toMillis());
        assertThat(config.getMainConsumerConfigs("g", "c", 0).get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))
                .isNull();
        assertThat(config.getRestoreConsumerConfigs("c").get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))
                .isNull();
    }

    @Test
    void shouldNameTheVariableOfABadNumber() {
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(Map.of("TOKENPOOL_COMMIT_INTERVAL_MS", "ten")))
                .hasMessage("TOKENPOOL_COMMIT_INTERVAL_MS must be a whole number, not 'ten'");
    }
}
