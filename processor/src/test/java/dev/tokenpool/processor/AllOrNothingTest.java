package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.processor.PoolSchema.PoolMeta;
import dev.tokenpool.processor.PoolSchema.TokenKey;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command that fails half way writes nothing: it is worked out against staged stores, and only a
 * command that got to the end has its writes applied.
 */
class AllOrNothingTest {
    static final String PROJECT = "project-1";
    static final String A = "tokenA-0001", B = "tokenB-0001", C = "tokenC-0001";
    PoolHarness pool = new PoolHarness();

    @AfterEach
    void close() {
        pool.close();
    }

    /** Puts bytes that are not a token entry under B, so reading B fails in the middle of a command. */
    private void damageEntryOf(String tokenId) {
        pool.store(PoolStores.TOKENS_STORE).put(new TokenKey(PROJECT, tokenId).bytes(), new byte[] {1, 2, 3});
    }

    private PoolMeta meta() {
        return PoolMeta.from(pool.store(PoolStores.META_STORE).get(PoolSchema.metaKey(PROJECT)));
    }

    @Test
    void shouldWriteNothingWhenADeleteFailsAfterItsFirstToken() {
        pool.add(PROJECT, A, B, C);
        damageEntryOf(B);

        PoolResult failed = pool.delete(PROJECT, A, B);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.bodyAs(ErrorResponse.class).errorCode()).isEqualTo("internal_server_error");
        assertThat(pool.get(PROJECT, A).status())
                .as("A, deleted before the failure, is still there")
                .isEqualTo(200);
        assertThat(pool.poolInOrder(PROJECT)).containsExactly(A, B, C);
        assertThat(meta().count()).isEqualTo(3);
    }

    @Test
    void shouldWriteNothingWhenAnAddFailsAfterItsFirstToken() {
        pool.add(PROJECT, B);
        PoolMeta before = meta();
        damageEntryOf(B);

        assertThat(pool.add(PROJECT, A, B).status()).isEqualTo(500);

        assertThat(pool.get(PROJECT, A).status()).as("A was not registered").isEqualTo(400);
        assertThat(pool.poolInOrder(PROJECT)).containsExactly(B);
        assertThat(meta()).isEqualTo(before);
        assertThat(meta().count()).isEqualTo(1);
    }

    @Test
    void shouldKeepServingThePoolAfterAFailedCommand() {
        pool.add(PROJECT, A, B);
        damageEntryOf(B);
        assertThat(pool.delete(PROJECT, B).status()).isEqualTo(500);

        assertThat(pool.deleteByOrder(PROJECT, 1, Order.ASC).status()).isEqualTo(200);
        assertThat(pool.poolInOrder(PROJECT)).containsExactly(B);
        assertThat(meta().count()).isEqualTo(1);
    }
}
