package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {
    static final String HMAC_OF_ABC = "bb8c693ee27f1936641730240864866084743a4d48e2ec85abbee997939a900a";

    @Test
    void shouldIssueLongRandomKeys() {
        String key = ApiKeys.generate();
        assertThat(key).startsWith("tp_").hasSize(3 + 43).isNotEqualTo(ApiKeys.generate());
    }

    @Test
    void shouldStoreAKeyedLookupHashThatIsNotTheAesKey() {
        String hash = ApiKeys.hash("abc");
        // HMAC-SHA256(key = "tokenpool api-key lookup v1", "abc"), computed independently with openssl dgst -hmac
        assertThat(hash).isEqualTo("hmac-sha256:" + HMAC_OF_ABC);
        assertThat(hash).doesNotContain(ApiKeys.legacyHash("abc"));
        assertThat(ApiKeys.hash("tp_a")).isNotEqualTo(ApiKeys.hash("tp_b"));
        assertThat(ApiKeys.isLegacy(hash)).isFalse();
    }

    @Test
    void shouldRecogniseTheLegacySha256Form() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        assertThat(ApiKeys.legacyHash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.isLegacy(ApiKeys.legacyHash("abc"))).isTrue();
        assertThat(ApiKeys.isLegacy(null)).isFalse();
    }

    @Test
    void shouldIssueSecretKeysUnlikeApiKeys() {
        assertThat(ApiKeys.generateSecretKey())
                .startsWith("tps_")
                .hasSize(4 + 43)
                .isNotEqualTo(ApiKeys.generateSecretKey());
    }

    @Test
    void shouldCompareSecretsExactly() {
        assertThat(ApiKeys.matches("secret", "secret")).isTrue();
        assertThat(ApiKeys.matches("secret", "secreT")).isFalse();
        assertThat(ApiKeys.matches("secret", "secret ")).isFalse();
        assertThat(ApiKeys.matches("secret", null)).isFalse();
    }
}
