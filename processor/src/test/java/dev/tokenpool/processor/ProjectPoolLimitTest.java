package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.schemas.AddTokensResponse;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.PoolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The processor enforces each project's own pool limit from the registry topic. */
class ProjectPoolLimitTest {
    static final String A = "tokenA-0001", B = "tokenB-0001", C = "tokenC-0001";
    PoolHarness pool = new PoolHarness();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void shouldReplaceTheDefaultWithAProjectsOwnLimit() {
        pool.registerProject("small", 2);
        pool.add("small", A, B);
        assertThat(pool.add("small", C).bodyAs(ErrorResponse.class).errorCode()).isEqualTo("token_limit_exceeded");
        assertThat(pool.add("other", A, B, C).status())
                .as("other projects keep their own limit")
                .isEqualTo(200);
    }

    @Test
    void shouldApplyARaisedLimitToTheNextCommand() {
        pool.registerProject("small", 1);
        pool.add("small", A);
        assertThat(pool.add("small", B).status()).isEqualTo(400);
        pool.registerProject("small", 2);
        assertThat(pool.add("small", B).status()).isEqualTo(200);
    }

    @Test
    void shouldReRegisterExistingIdsOfAPoolAboveALoweredLimit() {
        pool.add("shrunk", A, B, C);
        pool.registerProject("shrunk", 2);
        PoolResult again = pool.add("shrunk", A, B);
        assertThat(again.status())
                .as("existing IDs never count towards the limit: %s", again.body())
                .isEqualTo(200);
        assertThat(again.bodyAs(AddTokensResponse.class).summary().currentCount())
                .isEqualTo(3);
        assertThat(pool.poolInOrder("shrunk")).containsExactly(C, A, B);
        assertThat(pool.add("shrunk", A, "tokenD-0001")
                        .bodyAs(ErrorResponse.class)
                        .errorCode())
                .as("a new ID is still refused")
                .isEqualTo("token_limit_exceeded");
    }

    @Test
    void shouldSkipUnreadableRegistryRecordsAndStopServingADeletedProject() {
        pool.registerProject("small", 1);
        pool.projects.pipeInput("small", "garbage".getBytes());
        pool.add("small", A);
        assertThat(pool.add("small", B).status())
                .as("garbage is skipped, limit 1 stays")
                .isEqualTo(400);
        pool.projects.pipeInput("small", (byte[]) null);
        assertThat(pool.add("small", B).bodyAs(ErrorResponse.class).errorCode())
                .as("tombstone: project gone")
                .isEqualTo("invalid_project");
    }
}
