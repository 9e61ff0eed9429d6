package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.processor.PoolSchema.OrderKey;
import dev.tokenpool.processor.PoolSchema.PoolMeta;
import dev.tokenpool.processor.PoolSchema.TokenEntry;
import dev.tokenpool.processor.PoolSchema.TokenKey;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class PoolSchemaTest {

    @Test
    void shouldRoundTripEveryKeyAndValue() {
        assertThat(TokenKey.from(new TokenKey("project-1", "user001a").bytes()))
                .isEqualTo(new TokenKey("project-1", "user001a"));
        assertThat(OrderKey.from(new OrderKey("project-1", 42L).bytes())).isEqualTo(new OrderKey("project-1", 42L));
        assertThat(TokenEntry.from(new TokenEntry(7, 1_764_000_000_123L, 2).bytes()))
                .isEqualTo(new TokenEntry(7, 1_764_000_000_123L, 2));
        assertThat(PoolMeta.from(new PoolMeta(3, 9, 4, 1, 2, 8, 5, 20_429, 7).bytes()))
                .isEqualTo(new PoolMeta(3, 9, 4, 1, 2, 8, 5, 20_429, 7));
        assertThat(PoolSchema.tokenId(PoolSchema.tokenIdValue("api.key.01"))).isEqualTo("api.key.01");
    }

    @Test
    void shouldLayOutKeysAsDocumented() {
        assertThat(new TokenKey("p", "abc").bytes().get()).containsExactly('p', 0, 'a', 'b', 'c');
        assertThat(new OrderKey("p", 258).bytes().get()).containsExactly('p', 0, 0, 0, 0, 0, 0, 0, 1, 2);
        assertThat(PoolSchema.metaKey("p").get()).containsExactly('p');
        assertThat(new TokenEntry(1, 2, 3).bytes()).hasSize(PoolSchema.TOKEN_ENTRY_SIZE);
    }

    @Test
    void shouldReadValuesWrittenBeforeUsesAndExpiryExisted() {
        byte[] entry = java.nio.ByteBuffer.allocate(16)
                .putLong(7)
                .putLong(1_764_000_000_123L)
                .array();
        assertThat(TokenEntry.from(entry)).isEqualTo(new TokenEntry(7, 1_764_000_000_123L, 0));
        byte[] meta = java.nio.ByteBuffer.allocate(16).putLong(3).putLong(9).array();
        assertThat(PoolMeta.from(meta)).isEqualTo(new PoolMeta(3, 9, 0, 0, 0, 0, 0, 0, 0));
        byte[] beforeVolumeProgress = java.nio.ByteBuffer.allocate(40)
                .putLong(3)
                .putLong(9)
                .putLong(4)
                .putLong(1)
                .putLong(2)
                .array();
        assertThat(PoolMeta.from(beforeVolumeProgress)).isEqualTo(new PoolMeta(3, 9, 4, 1, 2, 0, 0, 0, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PoolMeta.from(new byte[20]))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenEntry.from(new byte[20]))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSortOrderKeysInRegistrationOrder() {
        List<Bytes> keys = List.of(
                new OrderKey("p", 0).bytes(),
                new OrderKey("p", 255).bytes(),
                new OrderKey("p", 256).bytes(),
                new OrderKey("p", Long.MAX_VALUE).bytes());
        assertThat(keys).isSorted();
    }

    @Test
    void shouldKeepAProjectsRangeApartFromProjectsItsIdIsAPrefixOf() {
        for (String other : List.of("ab", "a.b", "a-", "a0", "a_b")) {
            Bytes first = OrderKey.first("a");
            Bytes last = OrderKey.last("a");
            for (Bytes key : List.of(
                    new OrderKey(other, 0).bytes(),
                    new OrderKey(other, Long.MAX_VALUE).bytes(),
                    new TokenKey(other, "user001a").bytes())) {
                boolean inside = key.compareTo(first) >= 0 && key.compareTo(last) <= 0;
                assertThat(inside)
                        .as("%s of project %s inside the range of project a", key, other)
                        .isFalse();
            }
        }
    }

    @Test
    void shouldReadAMissingValueAsAbsentOrEmpty() {
        assertThat(TokenEntry.from(null)).isNull();
        assertThat(PoolMeta.from(null)).isEqualTo(PoolMeta.EMPTY);
    }

    @Test
    void shouldRefuseBytesThatAreNotAValue() {
        assertThatThrownBy(() -> TokenEntry.from(new byte[3])).hasMessageContaining("token entry has 3 bytes");
        assertThatThrownBy(() -> PoolMeta.from(new byte[17])).hasMessageContaining("pool meta has 17 bytes");
        assertThatThrownBy(() -> TokenKey.from(Bytes.wrap(new byte[] {'p'}))).hasMessageContaining("no separator");
    }
}
