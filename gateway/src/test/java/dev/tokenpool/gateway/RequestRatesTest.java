package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestRatesTest {
    final AtomicLong now = new AtomicLong();
    final RequestRates rates = new RequestRates(now::get);

    @Test
    void shouldLetABurstOfOneSecondThroughThenRefillAtTheRate() {
        for (int i = 0; i < 10; i++) {
            assertThat(rates.tryAcquire("p", 10)).isTrue();
        }
        assertThat(rates.tryAcquire("p", 10)).isFalse();
        now.addAndGet(100_000_000); // 0.1 s: one more
        assertThat(rates.tryAcquire("p", 10)).isTrue();
        assertThat(rates.tryAcquire("p", 10)).isFalse();
        now.addAndGet(10_000_000_000L); // long idle: still at most a second's worth
        for (int i = 0; i < 10; i++) {
            assertThat(rates.tryAcquire("p", 10)).isTrue();
        }
        assertThat(rates.tryAcquire("p", 10)).isFalse();
    }

    @Test
    void shouldKeepEachProjectsRateApart() {
        assertThat(rates.tryAcquire("a", 1)).isTrue();
        assertThat(rates.tryAcquire("a", 1)).isFalse();
        assertThat(rates.tryAcquire("b", 1)).isTrue();
    }
}
