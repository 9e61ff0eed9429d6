package dev.tokenpool.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.processor.TokenPoolTopology;
import dev.tokenpool.processor.TopologySettings;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import dev.tokenpool.schemas.Topics;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class MyTokenPoolTest {
    @Test
    void shouldRegisterThenDeleteTheOldestToken() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "my-tokenpool-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver =
                new TopologyTestDriver(TokenPoolTopology.build(TopologySettings.defaults()), props)) {
            var projects = driver.createInputTopic(
                    Topics.PROJECTS,
                    new StringSerializer(),
                    TokenPoolSerdes.project().serializer());
            var commands = driver.createInputTopic(
                    Topics.COMMANDS,
                    new StringSerializer(),
                    TokenPoolSerdes.command().serializer());
            var results = driver.createOutputTopic(
                    "tokenpool.replies.my-app",
                    new StringDeserializer(),
                    TokenPoolSerdes.result().deserializer());

            // Only projects in the registry are served: register one (the admin API does this for you).
            projects.pipeInput("project-1", ProjectRecord.of("project-1", "My project", 100_000));
            commands.pipeInput(
                    "project-1",
                    CommandEnvelope.of(
                            "c-1",
                            "tokenpool.replies.my-app",
                            new PoolCommand.AddTokens(List.of("user001a", "api.key.01"))));
            commands.pipeInput(
                    "project-1",
                    CommandEnvelope.of("c-2", "tokenpool.replies.my-app", new PoolCommand.DeleteByOrder(1, Order.ASC)));

            PoolResult added = results.readValue(); // status 200, correlationId "c-1"
            assertThat(added.bodyAs(AddTokensResponse.class).summary().currentCount())
                    .isEqualTo(2);
            PoolResult deleted = results.readValue(); // the oldest token, user001a, is gone
            assertThat(deleted.bodyAs(DeleteByOrderResponse.class).summary().deleted())
                    .isEqualTo(1);
            assertThat(results.isEmpty()).isTrue();
        }
    }
}
