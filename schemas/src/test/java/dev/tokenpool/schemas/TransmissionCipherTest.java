package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.schemas.TransmissionCipher.DecryptionFailed;
import dev.tokenpool.schemas.TransmissionCipher.Mode;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TransmissionCipherTest {
    static final String API_KEY = "tp_example-api-key";
    static final String BODY = "{\"tokenId\":[\"user001a\"]}";

    @Test
    void shouldEncryptEcbExactlyAsOpensslDoes() throws Exception {
        // printf '%s' "$BODY" | openssl enc -aes-256-ecb -nosalt -K "$(printf tp_example-api-key | sha256sum | cut
        // -c1-64)" | base64
        String openssl = "SXfe7luTc0c5CEEZ2R4ORQWA/nZvfZI7kwcZtig9NgI=";
        TransmissionCipher ecb = TransmissionCipher.forSecret(Mode.ECB, API_KEY);
        assertThat(ecb.encrypt(BODY)).isEqualTo(openssl);
        assertThat(ecb.decrypt(openssl)).isEqualTo(BODY);
    }

    @Test
    void shouldMatchTheGcmSpecificationsTestCase15() throws Exception {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 15: AES-256, 96-bit IV, no AAD.
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = hex.parseHex("cafebabefacedbaddecaf888");
        String plaintextHex = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
        String ciphertext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
        String tag = "b094dac5d93471bdec1a502270e3cc6c";
        byte[] wire = hex.parseHex(hex.formatHex(nonce) + ciphertext + tag);
        TransmissionCipher gcm = TransmissionCipher.withKey(Mode.GCM, key);
        assertThat(hex.formatHex(gcm.decryptBytes(wire))).isEqualTo(plaintextHex);
        assertThatThrownBy(() -> gcm.decrypt(Base64.getEncoder().encodeToString(wire)))
                .as("the spec's plaintext is binary, not a UTF-8 body")
                .hasMessage("plaintext is not UTF-8");
        wire[wire.length - 1] ^= 1;
        assertThatThrownBy(() -> gcm.decryptBytes(wire)).hasMessage("does not authenticate with this key");
    }

    @Test
    void shouldLayGcmOutAsNonceCiphertextTag() throws Exception {
        TransmissionCipher gcm = TransmissionCipher.forSecret(Mode.GCM, API_KEY);
        byte[] nonce = HexFormat.of().parseHex("000102030405060708090a0b");
        String sealed = gcm.encrypt(BODY, nonce);
        // The README's GCM test vector, computed independently with Python's cryptography (OpenSSL) AESGCM.
        assertThat(sealed).isEqualTo("AAECAwQFBgcICQoL7CT6pptvg3nm3X9GMuy83vHShhMCmbaHnzm7iVeAIPvKe0kEgR4L9w==");
        byte[] wire = Base64.getDecoder().decode(sealed);
        assertThat(wire).hasSize(12 + BODY.length() + 16);
        assertThat(java.util.Arrays.copyOf(wire, 12)).isEqualTo(nonce);
        assertThat(gcm.decrypt(Base64.getEncoder().encodeToString(wire))).isEqualTo(BODY);
    }

    @Test
    void shouldRoundTripBothModesWithAFreshNonceEachTime() throws Exception {
        for (Mode mode : Mode.values()) {
            TransmissionCipher cipher = TransmissionCipher.forSecret(mode, API_KEY);
            String body = "{\"tokenId\":[\"ユーザー0001\",\"user001a\"],\"count\":5}";
            assertThat(cipher.decrypt(cipher.encrypt(body))).as(mode.wire()).isEqualTo(body);
        }
        TransmissionCipher gcm = TransmissionCipher.forSecret(Mode.GCM, API_KEY);
        assertThat(gcm.encrypt(BODY)).as("random nonce").isNotEqualTo(gcm.encrypt(BODY));
        TransmissionCipher ecb = TransmissionCipher.forSecret(Mode.ECB, API_KEY);
        assertThat(ecb.encrypt(BODY))
                .as("ECB is deterministic: it leaks equal messages")
                .isEqualTo(ecb.encrypt(BODY));
    }

    @Test
    void shouldRefuseTamperedGcmAndWrongKeys() throws Exception {
        TransmissionCipher gcm = TransmissionCipher.forSecret(Mode.GCM, API_KEY);
        byte[] wire = Base64.getDecoder().decode(gcm.encrypt(BODY));
        wire[15] ^= 0x01;
        assertThatThrownBy(() -> gcm.decrypt(Base64.getEncoder().encodeToString(wire)))
                .isInstanceOf(DecryptionFailed.class);
        assertThatThrownBy(
                        () -> TransmissionCipher.forSecret(Mode.GCM, "tp_other").decrypt(gcm.encrypt(BODY)))
                .isInstanceOf(DecryptionFailed.class);
        assertThatThrownBy(() -> TransmissionCipher.forSecret(Mode.ECB, "tp_other")
                        .decrypt("SXfe7luTc0c5CEEZ2R4ORQWA/nZvfZI7kwcZtig9NgI="))
                .isInstanceOf(DecryptionFailed.class);
    }

    @Test
    void shouldRefuseWhatIsNotACiphertext() {
        for (Mode mode : Mode.values()) {
            TransmissionCipher cipher = TransmissionCipher.forSecret(mode, API_KEY);
            for (String wire : new String[] {"", "not base64!", "AAAA", BODY}) {
                assertThatThrownBy(() -> cipher.decrypt(wire))
                        .as("%s %s", mode, wire)
                        .isInstanceOf(DecryptionFailed.class);
            }
        }
        assertThat(Mode.fromWire("gcm")).contains(Mode.GCM);
        assertThat(Mode.fromWire("GCM")).isEmpty();
    }
}
