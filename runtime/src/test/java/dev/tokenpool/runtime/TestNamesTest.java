package dev.tokenpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One naming style for every test of every module: {@code shouldDoWhatTheTestChecks}. */
class TestNamesTest {
    private static final Pattern TEST_METHOD = Pattern.compile(
            "(?s)@(?:Test|ParameterizedTest|RepeatedTest)\\b(?:(?!\\bvoid\\b).)*?\\bvoid\\s+(\\w+)\\s*\\(");

    @Test
    void shouldNameEveryTestAfterWhatItShouldDo() throws IOException {
        List<String> tests = new ArrayList<>();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SettingsTest.ROOT)) {
            for (Path file : files.filter(TestNamesTest::isTestSource).toList()) {
                Matcher test = TEST_METHOD.matcher(Files.readString(file));
                while (test.find()) {
                    tests.add(test.group(1));
                    if (!test.group(1).startsWith("should")) {
                        offenders.add(file.getFileName() + ": " + test.group(1));
                    }
                }
            }
        }
        assertThat(tests).as("tests found").hasSizeGreaterThan(100);
        assertThat(offenders).as("tests not named shouldX").isEmpty();
    }

    private static boolean isTestSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.contains("/src/test/java/") && path.endsWith(".java") && !path.contains("/target/");
    }
}
