package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void shouldIssueLongRandomKeys() {
        String key = ApiKeys.generate();
        assertThat(key).startsWith("tp_").hasSize(3 + 43).isNotEqualTo(ApiKeys.generate());
    }

    @Test
    void shouldStoreTheSha256OfAKey() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.hash("tp_a")).isNotEqualTo(ApiKeys.hash("tp_b"));
    }

    @Test
    void shouldCompareSecretsExactly() {
        assertThat(ApiKeys.matches("secret", "secret")).isTrue();
        assertThat(ApiKeys.matches("secret", "secreT")).isFalse();
        assertThat(ApiKeys.matches("secret", "secret ")).isFalse();
        assertThat(ApiKeys.matches("secret", null)).isFalse();
    }
}
