package dev.tokenpool.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopologyExampleTest {
    /** docs/kafka.md shows MyTokenPoolTest as it runs here, imports and all, so that it runs where it is pasted. */
    @Test
    void shouldShowTheTopologyTestInTheDocsAsItRunsHere() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/tokenpool/example/MyTokenPoolTest.java"));
        String example = source.substring(source.indexOf("import "));
        assertThat(Files.readString(Path.of("../docs/kafka.md"))).contains("```java\n" + example + "```");
    }
}
