package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Validation;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Secure Data Transmission at the gateway: which cipher a project's request travels under, the JSON
 * body inside an encrypted request, and the envelope of an encrypted response. Commands and results
 * on Kafka stay plain: only the HTTP leg is encrypted.
 */
final class SecureChannel {
    static final String DECRYPTION_FAILED = "Decryption is Failed. Please check the api-key.";
    /** The public API's message when a body cannot be encrypted; here: the project's key cannot be opened. */
    static final String PROCESSING_ERROR = "Data Processing Error.";

    private final MasterKeys masterKeys;

    SecureChannel(MasterKeys masterKeys) {
        this.masterKeys = masterKeys;
    }

    /**
     * The cipher of this project's traffic, empty when it travels plain. With the API key as the secret,
     * the key is derived from the header the client sent (never stored); with a secret key, from the
     * project's secret, opened with the master key.
     */
    Optional<TransmissionCipher> cipherFor(ProjectRecord project, String apiKey) throws MasterKeys.CannotOpen {
        SecureTransmission setting = project.transmission();
        if (!setting.enabled()) {
            return Optional.empty();
        }
        return Optional.of(
                switch (setting.key()) {
                    case API_KEY -> TransmissionCipher.forSecret(setting.mode(), apiKey);
                    case SECRET_KEY -> {
                        if (project.sealedSecretKey() == null) {
                            throw new MasterKeys.CannotOpen(
                                    "project " + project.projectId() + " uses a secret key but none was issued");
                        }
                        yield TransmissionCipher.forSecret(
                                setting.mode(), masterKeys.open(project.projectId(), project.sealedSecretKey()));
                    }
                });
    }

    /**
     * The JSON object inside an encrypted request body: the envelope {@code {"body": "<base64>"}} or the
     * bare base64 text; a plaintext that is no JSON object is the usual invalid_payload. Anything else, or
     * a ciphertext that does not decrypt (or authenticate) under the project's key, throws: the public
     * API's decryption error.
     */
    static Validation<ObjectNode> open(TransmissionCipher cipher, Buffer body)
            throws TransmissionCipher.DecryptionFailed {
        String text = body.toString(StandardCharsets.UTF_8).strip();
        String ciphertext = text.startsWith("{") ? envelope(text) : text;
        if (ciphertext == null || ciphertext.isEmpty()) {
            throw new TransmissionCipher.DecryptionFailed("not an encrypted body");
        }
        return RequestBodies.parse(Buffer.buffer(cipher.decrypt(ciphertext)));
    }

    /** The ciphertext of {@code {"body": "<base64>"}}; null for any other JSON (such as a plain body). */
    private static String envelope(String text) {
        try {
            JsonNode json = Json.parse(text.getBytes(StandardCharsets.UTF_8));
            JsonNode body = json.get("body");
            return json.size() == 1 && body != null && body.isTextual() ? body.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** An encrypted response: {@code {"data": "<base64 ciphertext of the JSON body>"}}. */
    static Map<String, String> seal(TransmissionCipher cipher, Object body) {
        return Map.of("data", cipher.encrypt(new String(Json.write(body), StandardCharsets.UTF_8)));
    }
}
