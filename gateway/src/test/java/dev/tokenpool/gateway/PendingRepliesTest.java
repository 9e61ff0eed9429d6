package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.schemas.DeleteByOrderResponse;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ReplyAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {
    final PendingReplies pending = new PendingReplies();

    static PoolResult result(String correlationId) {
        return PoolResult.of(new ReplyAddress(correlationId, "replies"), DeleteByOrderResponse.of(1));
    }

    @Test
    void shouldHandEachResultToTheRequestWithItsCorrelationId() throws Exception {
        var first = pending.expect("c-1", Duration.ofSeconds(5));
        var second = pending.expect("c-2", Duration.ofSeconds(5));
        assertThat(pending.deliver(result("c-2"))).isTrue();
        assertThat(second.get().correlationId()).isEqualTo("c-2");
        assertThat(first).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void shouldDropResultsNobodyWaitsFor() {
        assertThat(pending.deliver(result("unknown"))).isFalse();
        pending.expect("c-1", Duration.ofSeconds(5));
        pending.deliver(result("c-1"));
        assertThat(pending.deliver(result("c-1"))).as("a duplicate").isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void shouldDropAResultThatNamesNoRequest() {
        pending.expect("c-1", Duration.ofSeconds(5));
        assertThat(pending.deliver(new PoolResult(1, null, null, 200, null, null, null)))
                .isFalse();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void shouldTimeOutAndForgetTheRequest() {
        var waiting = pending.expect("c-1", Duration.ofMillis(20));
        assertThatThrownBy(waiting::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(pending.size()).isZero();
        assertThat(pending.deliver(result("c-1"))).isFalse();
    }

    @Test
    void shouldFailOneOrAllRequests() {
        var one = pending.expect("c-1", Duration.ofSeconds(5));
        var other = pending.expect("c-2", Duration.ofSeconds(5));
        pending.fail("c-1", new KafkaUnavailableException(new IllegalStateException("down")));
        assertThat(one).isCompletedExceptionally();
        assertThat(other).isNotDone();
        pending.failAll(new IllegalStateException("closing"));
        assertThat(other).isCompletedExceptionally();
        assertThat(pending.size()).isZero();
    }

    @Test
    void shouldRefuseToWaitTwiceForOneCorrelationId() {
        pending.expect("c-1", Duration.ofSeconds(5));
        assertThatThrownBy(() -> pending.expect("c-1", Duration.ofSeconds(5))).hasMessageContaining("already waiting");
    }
}
