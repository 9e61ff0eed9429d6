package dev.tokenpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every setting is defined once, the docs' table is that definition, and nothing reads a setting around it. */
class SettingsTest {
    static final Path ROOT = Path.of("..");
    static final Pattern VARIABLE = Pattern.compile("\\bTOKENPOOL_[A-Z][A-Z_]*[A-Z]\\b");

    @Test
    void shouldDocumentEverySettingAsItIsDefined() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/operations.md"));
        String begin = "<!-- settings table: begin -->\n";
        String table =
                docs.substring(docs.indexOf(begin) + begin.length(), docs.indexOf("<!-- settings table: end -->"));
        assertThat(table)
                .as("docs/operations.md: paste Settings.table() between the markers")
                .isEqualTo(Settings.table());
    }

    @Test
    void shouldDefineEverySettingTheCodeOrTheLaunchersName() throws IOException {
        Set<String> defined = Settings.ALL.stream().map(Setting::name).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(SettingsTest::isCodeOrLauncher).toList()) {
                Matcher name = VARIABLE.matcher(Files.readString(file));
                while (name.find()) {
                    named.add(name.group());
                }
            }
        }
        assertThat(named)
                .as("TOKENPOOL_* variables named in code and launchers")
                .isNotEmpty();
        assertThat(defined).as("defined in dev.tokenpool.runtime.Settings").containsAll(named);
    }

    @Test
    void shouldNameEachSettingOnce() {
        assertThat(Settings.ALL.stream().map(Setting::name).distinct()).hasSameSizeAs(Settings.ALL);
        assertThat(Settings.table()).doesNotContain("/tmp");
    }

    private static boolean isCodeOrLauncher(Path file) {
        String path = file.toString().replace('\\', '/');
        if (path.contains("/target/")
                || path.contains("/.git/")
                || path.contains("/tokenpool-data")
                || !Files.isRegularFile(file)) {
            return false;
        }
        return path.contains("/src/main/") && path.endsWith(".java") && !path.endsWith("/runtime/Settings.java")
                || path.endsWith("/tokenpool")
                || path.contains("/bin/")
                || path.endsWith("/bench/run")
                || path.endsWith("docker-compose.yml");
    }
}
