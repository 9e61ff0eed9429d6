package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdlePollsTest {
    static final Duration POLL_MS = Duration.ofMillis(10);

    final IdlePolls.CommitWatch watch = new IdlePolls.CommitWatch();

    @Test
    void shouldWaitLongWhileNothingWasHandedOut() {
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
        watch.committing(); // a punctuation's transaction
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldPollShortUntilACommitBeginsAfterTheRecordsWereProcessed() {
        watch.handedOut();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        assertThat(watch.pollWait(POLL_MS)).as("no commit yet").isEqualTo(POLL_MS);
        watch.committing();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldNotCountACommitThatBeganWhileRecordsWereStillBeingProcessed() {
        watch.handedOut();
        watch.committing(); // commit interval reached halfway through the batch: the rest is not in it
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        watch.committing();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldStartOverWhenMoreRecordsArriveBeforeTheCommit() {
        watch.handedOut();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        watch.handedOut();
        watch.committing();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        watch.committing();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldKeepPollsOfZeroAndLongPollsAsAsked() {
        assertThat(watch.pollWait(Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(IdlePolls.longer(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(IdlePolls.longer(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }
}
