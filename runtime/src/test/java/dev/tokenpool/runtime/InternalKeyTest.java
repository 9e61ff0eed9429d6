package dev.tokenpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalKeyTest {
    @Test
    void shouldAcceptOnlyTheExactKey() {
        InternalKey key = InternalKey.of("s3cret-internal");

        assertThat(key.shownIn("s3cret-internal")).isTrue();
        assertThat(key.shownIn("s3cret-interna")).isFalse();
        assertThat(key.shownIn("s3cret-internal ")).isFalse();
        assertThat(key.shownIn("")).isFalse();
        assertThat(key.shownIn(null)).isFalse();
    }

    @Test
    void shouldNeverPrintTheKey() {
        InternalKey key = InternalKey.from(new Env(Map.of("TOKENPOOL_INTERNAL_KEY", "s3cret-internal")))
                .orElseThrow();

        assertThat(key.toString()).doesNotContain("s3cret");
        assertThat(java.util.Optional.of(key).toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldRouteNoReadWithoutAKey() {
        assertThat(InternalKey.from(new Env(Map.of()))).isEmpty();
        assertThat(InternalKey.from(new Env(Map.of("TOKENPOOL_INTERNAL_KEY", "  "))))
                .isEmpty();
    }
}
