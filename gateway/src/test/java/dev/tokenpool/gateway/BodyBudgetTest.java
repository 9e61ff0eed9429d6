package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    final AtomicInteger refused = new AtomicInteger();
    final BodyBudget budget = new BodyBudget(1_000, 600, refused::incrementAndGet);

    @Test
    void shouldHoldNoMoreThanTheBudgetAndGiveItBack() {
        var first = budget.reserve("10.0.0.1", 500).orElseThrow();
        var second = budget.reserve("10.0.0.2", 500).orElseThrow();
        assertThat(budget.reserve("10.0.0.3", 1)).isEmpty();
        first.release();
        first.release(); // once only
        assertThat(budget.held()).isEqualTo(500);
        assertThat(budget.reserve("10.0.0.3", 500)).isPresent();
        second.release();
        assertThat(refused).hasValue(1);
    }

    @Test
    void shouldKeepOneAddressToItsShare() {
        assertThat(budget.reserve("10.0.0.1", 400)).isPresent();
        assertThat(budget.reserve("10.0.0.1", 300)).as("past the address's 600").isEmpty();
        assertThat(budget.reserve("10.0.0.2", 500)).as("another address").isPresent();
    }
}
