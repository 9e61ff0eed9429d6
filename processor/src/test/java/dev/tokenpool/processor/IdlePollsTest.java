package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The stream thread's poll waits, stepped through as Streams' loop makes them: a poll, the records it returned
 * processed, maybe a commit (Streams' check after the poll), the next poll.
 */
class IdlePollsTest {
    static final long INTERVAL_MS = 10;
    static final Duration POLL_MS = Duration.ofMillis(10);

    long nowMs = 1_000;
    final IdlePolls.CommitWatch watch = new IdlePolls.CommitWatch(INTERVAL_MS, () -> nowMs);

    @Test
    void shouldWaitLongWhileNothingWasHandedOut() {
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
        nowMs += 250;
        watch.returned(false);
        commit(); // a punctuation's transaction
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldPollUntilTheCommitIsDueWhileProcessedRecordsWaitForIt() {
        commit();
        nowMs += 3;
        watch.returned(true);
        assertThat(watch.pollWait(POLL_MS))
                .as("Streams commits when more than 10 ms have passed: at +11")
                .isEqualTo(Duration.ofMillis(8));
        nowMs += 8;
        watch.returned(false);
        commit();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldNeverWaitLongerThanPollMsNorLessThanAMillisecond() {
        commit();
        watch.returned(true);
        assertThat(watch.pollWait(POLL_MS))
                .as("due in 11 ms, but poll.ms is 10")
                .isEqualTo(POLL_MS);
        nowMs += 11;
        watch.returned(false);
        // Streams took its time a millisecond later than this watch and did not commit yet.
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void shouldNotCountACommitThatBeganWhileRecordsWereStillBeingProcessed() {
        watch.returned(true);
        commit(); // commit interval reached halfway through the batch: the rest is not in it
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        nowMs += 10;
        watch.returned(false);
        commit();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldStartOverWhenMoreRecordsArriveBeforeTheCommit() {
        commit();
        watch.returned(true);
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(POLL_MS);
        nowMs += 4;
        watch.returned(true);
        commit();
        assertThat(watch.pollWait(POLL_MS)).as("due 11 ms after that commit").isEqualTo(POLL_MS);
        nowMs += 10;
        watch.returned(false);
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(Duration.ofMillis(1));
        nowMs += 1;
        watch.returned(false);
        commit();
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldWaitLongAgainWhenTheCommitAfterTheRecordsCameBeforeTheNextPoll() {
        nowMs += 250;
        watch.returned(true);
        commit(); // the interval was long over: Streams committed right after processing them
        assertThat(watch.pollWait(POLL_MS)).as("this watch cannot tell yet").isEqualTo(POLL_MS);
        nowMs += 10;
        watch.returned(false); // Streams: not due, nothing committed
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(Duration.ofMillis(1));
        nowMs += 1;
        watch.returned(false); // Streams: due, nothing to commit
        assertThat(watch.pollWait(POLL_MS)).isEqualTo(Duration.ofMillis(1));
        nowMs += 1;
        watch.returned(false);
        assertThat(watch.pollWait(POLL_MS))
                .as("a check more than an interval after the records found nothing")
                .isEqualTo(IdlePolls.IDLE_WAIT);
    }

    @Test
    void shouldKeepPollsOfZeroAndLongPollsAsAsked() {
        watch.returned(true);
        assertThat(watch.pollWait(Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(IdlePolls.longer(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(IdlePolls.longer(POLL_MS)).isEqualTo(IdlePolls.IDLE_WAIT);
    }

    private void commit() {
        watch.committing();
        watch.committed();
    }
}
