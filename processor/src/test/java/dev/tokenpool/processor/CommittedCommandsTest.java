package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommittedCommandsTest {
    final CommittedCommands commits = new CommittedCommands(List.of("tokens", "order"));

    @Test
    void shouldKnowNothingBeforeTheFirstCommit() {
        commits.processed(0, 41);
        assertThat(commits.committedThrough(0)).isEqualTo(-1);
    }

    @Test
    void shouldReachACommandOnlyOnceEveryStoreCommittedIt() {
        commits.processed(0, 41);
        commits.committed("tokens", 0);
        assertThat(commits.committedThrough(0)).isEqualTo(-1);
        commits.committed("order", 0);
        assertThat(commits.committedThrough(0)).isEqualTo(41);
    }

    @Test
    void shouldNotCountWhatWasProcessedAfterTheLastCommit() {
        commits.processed(0, 41);
        commitBoth(0);
        commits.processed(0, 42);
        commits.processed(0, 43);
        commits.committed("tokens", 0);
        assertThat(commits.committedThrough(0)).isEqualTo(41);
        commits.committed("order", 0);
        assertThat(commits.committedThrough(0)).isEqualTo(43);
    }

    @Test
    void shouldStartOverWhenAStoreIsOpenedAgain() {
        commits.processed(0, 41);
        commitBoth(0);
        commits.processed(0, 50); // then the transaction failed and the task restarts
        commits.forget("tokens", 0);
        commits.forget("order", 0);
        commitBoth(0);
        assertThat(commits.committedThrough(0)).isEqualTo(-1);
        commits.processed(0, 46);
        commitBoth(0);
        assertThat(commits.committedThrough(0)).isEqualTo(46);
    }

    @Test
    void shouldKnowWhichPartitionsAreProcessedHere() {
        assertThat(commits.processing(0)).isFalse();
        commits.processed(0, 3);
        assertThat(commits.processing(0)).isTrue();
        commits.forget("tokens", 0); // the task moved away
        assertThat(commits.processing(0)).isFalse();
        assertThat(commits.committedThrough(0)).isEqualTo(-1);
    }

    @Test
    void shouldKeepPartitionsApart() {
        commits.processed(1, 7);
        commitBoth(1);
        commitBoth(0);
        assertThat(commits.committedThrough(1)).isEqualTo(7);
        assertThat(commits.committedThrough(0)).isEqualTo(-1);
    }

    private void commitBoth(int partition) {
        commits.committed("tokens", partition);
        commits.committed("order", partition);
    }
}
