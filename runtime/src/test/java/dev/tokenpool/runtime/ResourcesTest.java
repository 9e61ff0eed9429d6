package dev.tokenpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    @Test
    void shouldCloseTheLastOpenedFirstAndEachOnlyOnce() {
        List<String> closed = new ArrayList<>();
        Resources resources = new Resources();
        resources.add(() -> closed.add("broker"));
        resources.add(() -> closed.add("processor"));
        resources.add(() -> closed.add("gateway"));
        resources.close();
        resources.close();
        assertThat(closed).containsExactly("gateway", "processor", "broker");
    }

    @Test
    void shouldCloseTheRestWhenOneFailsToClose() {
        List<String> closed = new ArrayList<>();
        Resources resources = new Resources();
        resources.add(() -> closed.add("first"));
        resources.add(() -> {
            throw new IllegalStateException("broken");
        });
        resources.close();
        assertThat(closed).containsExactly("first");
    }

    @Test
    void shouldStopWaitingWithTheReasonWhenTheDeadlinePasses() throws Exception {
        Deadline.await(java.time.Duration.ofSeconds(1), () -> true, () -> "never shown");
        var error = org.assertj.core.api.Assertions.catchThrowable(
                () -> Deadline.await(java.time.Duration.ofMillis(50), () -> false, () -> "processor not running"));
        assertThat(error)
                .isInstanceOf(Deadline.TimedOut.class)
                .hasMessageStartingWith("processor not running (waited 50 ms)");
    }
}
