package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    @Test
    void shouldSpanAboutThreeDaysByDefault() {
        RetrySchedule schedule = RetrySchedule.parse(Settings.WEBHOOK_RETRY_SCHEDULE.from(new Env(Map.of())));

        assertThat(schedule.attempts()).isEqualTo(12);
        assertThat(schedule.waitAfter(1)).contains(Duration.ofSeconds(5));
        assertThat(schedule.waitAfter(2)).contains(Duration.ofMinutes(5));
        assertThat(schedule.waitAfter(11)).contains(Duration.ofHours(10));
        assertThat(schedule.waitAfter(12)).as("after the last attempt").isEmpty();
        assertThat(schedule.span()).isBetween(Duration.ofHours(60), Duration.ofHours(72));
        assertThat(schedule.topics("tokenpool.webhooks."))
                .containsExactly(
                        "tokenpool.webhooks.retry-5s",
                        "tokenpool.webhooks.retry-5m",
                        "tokenpool.webhooks.retry-30m",
                        "tokenpool.webhooks.retry-2h",
                        "tokenpool.webhooks.retry-5h",
                        "tokenpool.webhooks.retry-10h");
    }

    @Test
    void shouldNameAWaitInItsLargestWholeUnit() {
        assertThat(RetrySchedule.topic("p.", Duration.ofSeconds(90))).isEqualTo("p.retry-90s");
        assertThat(RetrySchedule.topic("p.", Duration.ofSeconds(120))).isEqualTo("p.retry-2m");
        assertThat(RetrySchedule.topic("p.", Duration.ofMinutes(60))).isEqualTo("p.retry-1h");
    }

    @Test
    void shouldRefuseASchedulesItCannotRead() {
        for (String bad : new String[] {"", "5", "5d", "0s", "-5s", "5s,,5m", "1.5h"}) {
            assertThatThrownBy(() -> RetrySchedule.parse(bad))
                    .as(bad)
                    .isInstanceOf(Env.BadSetting.class)
                    .hasMessageContaining("TOKENPOOL_WEBHOOK_RETRY_SCHEDULE");
        }
    }
}
