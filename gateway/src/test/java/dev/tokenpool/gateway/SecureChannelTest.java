package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.SecureTransmission.KeySource;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.TransmissionCipher.Mode;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecureChannelTest {
    static final String BODY = "{\"tokenId\":[\"user001a\"]}";
    final TransmissionCipher cipher = TransmissionCipher.forSecret(Mode.GCM, "tp_key");

    @Test
    void shouldOpenTheEnvelopeAndTheBareCiphertext() throws Exception {
        String ciphertext = cipher.encrypt(BODY);
        for (String body : new String[] {"{\"body\":\"" + ciphertext + "\"}", ciphertext, " " + ciphertext + "\n"}) {
            Validation<ObjectNode> opened = SecureChannel.open(cipher, Buffer.buffer(body));
            assertThat(opened).isEqualTo(Validation.valid(Json.parse(BODY.getBytes())));
        }
    }

    @Test
    void shouldRefuseAnythingButACiphertextUnderTheKey() {
        String other = TransmissionCipher.forSecret(Mode.GCM, "tp_other").encrypt(BODY);
        for (String body : new String[] {BODY, "", "{\"body\":42}", "{\"body\":\"x\",\"more\":1}", other, "%%%"}) {
            assertThatThrownBy(() -> SecureChannel.open(cipher, Buffer.buffer(body)))
                    .as(body)
                    .isInstanceOf(TransmissionCipher.DecryptionFailed.class);
        }
    }

    @Test
    void shouldCheckThePlaintextLikeAnyBody() throws Exception {
        Validation<ObjectNode> opened = SecureChannel.open(cipher, Buffer.buffer(cipher.encrypt("[1]")));
        assertThat(opened).isInstanceOf(Validation.Invalid.class);
        assertThat(((Validation.Invalid<ObjectNode>) opened).error().errorMessage())
                .isEqualTo("Request body must be a JSON object.");
    }

    @Test
    void shouldSealAnswersAsData() throws Exception {
        Map<String, String> sealed = SecureChannel.seal(cipher, Map.of("success", true));
        assertThat(sealed.keySet()).containsExactly("data");
        assertThat(cipher.decrypt(sealed.get("data"))).isEqualTo("{\"success\":true}");
    }

    @Test
    void shouldPickTheCipherOfTheProjectsSetting() throws Exception {
        MasterKeys masterKeys = MasterKeys.parse(MasterKeys.generate());
        SecureChannel channel = new SecureChannel(masterKeys);
        ProjectRecord plain = ProjectRecord.create("p-1", "p", "hash", 10);
        assertThat(channel.cipherFor(plain, "tp_key")).isEmpty();

        ProjectRecord byApiKey =
                plain.withSecureTransmission(new SecureTransmission(true, Mode.ECB, KeySource.API_KEY), "t");
        String ecb = channel.cipherFor(byApiKey, "tp_key").orElseThrow().encrypt(BODY);
        assertThat(TransmissionCipher.forSecret(Mode.ECB, "tp_key").decrypt(ecb))
                .isEqualTo(BODY);

        ProjectRecord bySecret =
                plain.withSecureTransmission(new SecureTransmission(true, Mode.GCM, KeySource.SECRET_KEY), "t");
        assertThatThrownBy(() -> channel.cipherFor(bySecret, "tp_key"))
                .as("no secret issued")
                .isInstanceOf(MasterKeys.CannotOpen.class);
        ProjectRecord issued = bySecret.withSealedSecretKey(masterKeys.seal("p-1", "tps_secret", "t"), "t");
        String gcm = channel.cipherFor(issued, "tp_key").orElseThrow().encrypt(BODY);
        assertThat(TransmissionCipher.forSecret(Mode.GCM, "tps_secret").decrypt(gcm))
                .isEqualTo(BODY);
        assertThatThrownBy(() -> new SecureChannel(MasterKeys.none()).cipherFor(issued, "tp_key"))
                .isInstanceOf(MasterKeys.CannotOpen.class);
    }
}
