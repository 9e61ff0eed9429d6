package dev.tokenpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void shouldFallBackWhenAVariableIsUnsetOrEmpty() {
        Env env = new Env(Map.of("EMPTY", " "));
        assertThat(env.text("UNSET", "x")).isEqualTo("x");
        assertThat(env.text("EMPTY", "x")).isEqualTo("x");
        assertThat(env.textOrNull("UNSET")).isNull();
        assertThat(env.integer("EMPTY", 8080, 0, 65535)).isEqualTo(8080);
    }

    @Test
    void shouldReadNumbersAndDurations() {
        Env env = new Env(Map.of("PORT", "9000", "TIMEOUT_MS", " 250 "));
        assertThat(env.integer("PORT", 8080, 0, 65535)).isEqualTo(9000);
        assertThat(env.millis("TIMEOUT_MS", 10_000, 1, Long.MAX_VALUE)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldNameTheVariableAndWhatItMustBeWhenAValueIsBad() {
        Env env = new Env(Map.of("PORT", "80a", "LIMIT", "0", "MODE", "fast"));
        assertThatThrownBy(() -> env.integer("PORT", 8080, 0, 65535))
                .isInstanceOf(Env.BadSetting.class)
                .hasMessage("PORT must be a whole number, not '80a'");
        assertThatThrownBy(() -> env.number("LIMIT", 5, 1, 10))
                .hasMessage("LIMIT must be a whole number from 1 to 10, not '0'");
        assertThatThrownBy(() -> env.oneOf("MODE", "slow", Set.of("slow", "safe")))
                .hasMessage("MODE must be one of safe, slow, not 'fast'");
    }

    @Test
    void shouldSayWhyAStartFailedInOneLine() {
        var bind = new IllegalStateException(
                "cannot start the gateway", new RuntimeException(new java.net.BindException("Address already in use")));
        assertThat(ServiceMain.reason(bind)).contains("port is already in use").contains("Address already in use");
        assertThat(ServiceMain.reason(new Env.BadSetting("X", "y", "a number")))
                .isEqualTo("X must be a number, not 'y'");
    }
}
