package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.schemas.ProjectRecord;
import org.junit.jupiter.api.Test;

class ProjectDirectoryTest {
    final ProjectDirectory directory = new ProjectDirectory();

    static ProjectRecord project(String keyHash, long limit, String updatedAt) {
        return new ProjectRecord(
                ProjectRecord.VERSION,
                "p-1",
                "acme",
                keyHash,
                limit,
                "2026-01-01T00:00:00.000Z",
                updatedAt,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void shouldKeepTheLatestRecordInTopicOrderWhateverItsClockSays() {
        directory.apply("p-1", project("hash-b", 2, "2020-01-01T00:00:00.000Z"), 10);
        assertThat(directory.apply("p-1", project("hash-a", 1, "2030-01-01T00:00:00.000Z"), 9))
                .as("an earlier offset read later is not applied, however late its updatedAt")
                .isFalse();
        assertThat(directory.byId("p-1")).map(ProjectRecord::poolLimit).contains(2L);
        assertThat(directory.byApiKeyHash("hash-a")).isEmpty();
        assertThat(directory.byApiKeyHash("hash-b")).isPresent();
    }

    @Test
    void shouldNotRereadItsOwnWriteAsNew() {
        assertThat(directory.apply("p-1", project("hash-a", 1, null), 4)).isTrue();
        assertThat(directory.apply("p-1", project("hash-a", 1, null), 4))
                .as("same offset, read back")
                .isFalse();
    }

    @Test
    void shouldAcceptARecordWithoutUpdatedAt() {
        assertThat(directory.apply("p-1", project("hash-a", 1, null), 0)).isTrue();
        assertThat(directory.apply("p-1", project("hash-b", 1, null), 1)).isTrue();
        assertThat(directory.byApiKeyHash("hash-b")).isPresent();
    }

    @Test
    void shouldStopKnowingAnOldKeyOnceAnotherIsIssued() {
        directory.apply("p-1", project("hash-a", 1, null), 0);
        directory.apply("p-1", project("hash-b", 1, null), 1);
        assertThat(directory.byApiKeyHash("hash-a")).isEmpty();
        assertThat(directory.byApiKeyHash("hash-b"))
                .map(ProjectRecord::projectId)
                .contains("p-1");
        assertThat(directory.size()).isEqualTo(1);
    }

    @Test
    void shouldForgetADeletedProjectButNotBringItBackFromAnOlderRecord() {
        directory.apply("p-1", project("hash-a", 1, null), 0);
        directory.apply("p-1", null, 5);
        assertThat(directory.byId("p-1")).isEmpty();
        assertThat(directory.byApiKeyHash("hash-a")).isEmpty();
        assertThat(directory.apply("p-1", project("hash-a", 1, null), 3)).isFalse();
        assertThat(directory.all()).isEmpty();
    }

    @Test
    void shouldApplyLaterVersionsOfAProjectReachedOverKafkaOnly() {
        assertThat(directory.apply("p-1", project(null, 1, null), 0)).isTrue();
        assertThat(directory.apply("p-1", project(null, 5, null), 1)).isTrue();
        assertThat(directory.apply("p-1", project("hash-a", 5, null), 2))
                .as("a key issued later")
                .isTrue();
        assertThat(directory.apply("p-1", project(null, 7, null), 3))
                .as("and removed again")
                .isTrue();
        assertThat(directory.byId("p-1")).map(ProjectRecord::poolLimit).contains(7L);
        assertThat(directory.byApiKeyHash("hash-a")).isEmpty();
    }
}
