package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.schemas.CommandPartitions;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class HomePartitionsTest {
    final HomePartitions six = new HomePartitions(6);

    @Test
    void shouldPlaceAProjectWhereJavasProducerPutsItsKey() {
        for (String project : Set.of("demo", "p-0123456789ab", "a", "tokenpool.readiness-probe")) {
            int javas = BuiltInPartitioner.partitionForKey(project.getBytes(StandardCharsets.UTF_8), 6);
            assertThat(CommandPartitions.of(project, 6)).isEqualTo(javas);
            assertThat(six.isHome(project, javas)).isTrue();
            assertThat(six.isHome(project, (javas + 1) % 6)).isFalse();
            assertThat(six.partitioner().partitions("commands", project, null, 6))
                    .contains(Set.of(javas));
        }
    }

    @Test
    void shouldAnswerEveryCommandWhereItIsWhenThePartitionsAreUnknownOrItHasNoKey() {
        assertThat(HomePartitions.ANY.isHome("demo", 3)).isTrue();
        assertThat(six.isHome(null, 3)).isTrue();
    }

    @Test
    void shouldForwardTheCommandUnchangedSayingWhereItCameFrom() {
        byte[] value = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1});
        long now = 1_800_000_000_000L;
        Record<String, Object> forwarded = HomePartitions.forwarded(
                new Record<>("demo", value, now - 5_000, headers), metadata("tokenpool.commands", 0, 41), now);
        assertThat(forwarded.key()).isEqualTo("demo");
        assertThat(forwarded.value()).isSameAs(value);
        assertThat(forwarded.timestamp())
                .as("the producer's time, which the tokens register at")
                .isEqualTo(now - 5_000);
        assertThat(forwarded.headers().lastHeader("trace").value()).containsExactly(1);
        assertThat(new String(
                        forwarded
                                .headers()
                                .lastHeader(HomePartitions.FORWARDED_FROM)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("tokenpool.commands-0@41");
    }

    static RecordMetadata metadata(String topic, int partition, long offset) {
        return new RecordMetadata() {
            public String topic() {
                return topic;
            }

            public int partition() {
                return partition;
            }

            public long offset() {
                return offset;
            }
        };
    }
}
