package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadRestartsTest {
    final List<Duration> waits = new ArrayList<>();
    long now = 0;
    final ThreadRestarts restarts = new ThreadRestarts(waits::add, () -> now);

    private void fail(int times, Duration apart) {
        for (int i = 0; i < times; i++) {
            assertThat(restarts.handle(new IllegalStateException("broker gone")))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now += apart.toNanos();
        }
    }

    @Test
    void shouldWaitLongerAfterEachFailureInARowUpToAMinute() {
        fail(9, Duration.ofSeconds(1));
        assertThat(waits).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void shouldStartOverAfterRunningWellForAWhile() {
        fail(3, Duration.ofMinutes(5));
        assertThat(waits).extracting(Duration::toSeconds).containsExactly(1L, 1L, 1L);
    }
}
