package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.example.AddTokensOverKafka;
import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.PoolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka producer of docs/kafka.md (AddTokensOverKafka), run as it stands against a processor on the default topics. */
@ExtendWith(KafkaBroker.class)
class ProducerExampleIT {
    static TokenPoolStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TokenPoolStack.startOnDefaultTopics("readme-it");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void shouldAddTokensAsTheDocsShow() throws Exception {
        String projectId = stack.createProject("readme", null).get("projectId").asText();

        PoolResult result = AddTokensOverKafka.addTokens(
                KafkaBroker.bootstrapServers(), projectId, List.of("user001a", "api.key.01"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.bodyAs(AddTokensResponse.class).summary().currentCount())
                .isEqualTo(2);
    }

    @Test
    void shouldBeQuotedInTheDocsAsItIsHere() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/tokenpool/example/AddTokensOverKafka.java"));
        String example = source.substring(source.indexOf("import "));
        assertThat(Files.readString(Path.of("../docs/kafka.md"))).contains("```java\n" + example + "```");
    }
}
