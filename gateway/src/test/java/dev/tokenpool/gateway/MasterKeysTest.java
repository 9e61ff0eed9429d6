package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.SealedSecret;
import org.junit.jupiter.api.Test;

class MasterKeysTest {
    final String oldKey = MasterKeys.generate();
    final String newKey = MasterKeys.generate();

    @Test
    void shouldSealASecretThatOnlyItsProjectOpens() throws Exception {
        MasterKeys keys = MasterKeys.parse(oldKey);
        SealedSecret sealed = keys.seal("p-1", "tps_secret", "2026-01-01T00:00:00.000Z");
        assertThat(sealed.ciphertext()).doesNotContain("tps_secret");
        assertThat(sealed.masterKeyId()).startsWith("mk-").isEqualTo(keys.sealingId());
        assertThat(keys.open("p-1", sealed)).isEqualTo("tps_secret");
        assertThatThrownBy(() -> keys.open("p-2", sealed))
                .as("copied to another project")
                .isInstanceOf(MasterKeys.CannotOpen.class);
        assertThat(keys.seal("p-1", "tps_secret", "t").ciphertext())
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed.ciphertext());
    }

    @Test
    void shouldOpenWithWhicheverKeySealedAndResealUnderTheFirst() throws Exception {
        SealedSecret underOld = MasterKeys.parse(oldKey).seal("p-1", "tps_secret", "t");
        MasterKeys rotating = MasterKeys.parse(newKey + "," + oldKey);
        assertThat(rotating.open("p-1", underOld)).isEqualTo("tps_secret");
        SealedSecret underNew = rotating.reseal("p-1", underOld);
        assertThat(underNew.masterKeyId())
                .isEqualTo(MasterKeys.parse(newKey).sealingId())
                .isNotEqualTo(underOld.masterKeyId());
        assertThat(underNew.issuedAt()).isEqualTo("t");
        assertThat(MasterKeys.parse(newKey).open("p-1", underNew)).isEqualTo("tps_secret");
        assertThatThrownBy(() -> MasterKeys.parse(newKey).open("p-1", underOld))
                .isInstanceOf(MasterKeys.CannotOpen.class)
                .hasMessageContaining(underOld.masterKeyId());
    }

    @Test
    void shouldRefuseABadKeyWithoutRepeatingIt() {
        String almost = oldKey.substring(0, 20);
        assertThatThrownBy(() -> MasterKeys.parse(newKey + "," + almost))
                .isInstanceOf(Env.BadSetting.class)
                .hasMessageContaining("TOKENPOOL_MASTER_KEY")
                .hasMessageContaining("key 2")
                .hasMessageNotContaining(almost)
                .hasMessageNotContaining(newKey);
        assertThat(MasterKeys.parse(" ").present()).isFalse();
        assertThat(MasterKeys.parse(newKey).toString()).doesNotContain(newKey);
    }

    @Test
    void shouldKeepSettingsPrintableWithoutSecrets() {
        GatewaySettings settings = GatewaySettings.fromEnv(
                java.util.Map.of("TOKENPOOL_ADMIN_KEY", "admin-secret", MasterKeys.VARIABLE, newKey));
        assertThat(settings.toString())
                .doesNotContain("admin-secret")
                .doesNotContain(newKey)
                .contains("adminApi=on");
    }
}
