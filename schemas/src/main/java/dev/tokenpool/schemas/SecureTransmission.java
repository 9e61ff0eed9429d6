package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.tokenpool.schemas.TransmissionCipher.Mode;
import java.util.Arrays;
import java.util.Optional;

/**
 * A project's Secure Data Transmission setting: whether request and response bodies are encrypted,
 * with which AES-256 mode, and which secret the key is derived from. Off unless a project turns it on.
 */
public record SecureTransmission(boolean enabled, Mode mode, KeySource key) {
    /** A project without the setting: plain JSON, and GCM with the API key once it is turned on. */
    public static final SecureTransmission OFF = new SecureTransmission(false, Mode.GCM, KeySource.API_KEY);

    public SecureTransmission {
        if (mode == null || key == null) {
            throw new IllegalArgumentException("secureTransmission needs a mode and a key");
        }
    }

    /** The secret the AES key is the SHA-256 of. */
    public enum KeySource {
        /** The API key as the client sends it in x-api-key. */
        API_KEY("apiKey"),
        /** The project's dedicated secret key, issued by the admin API. */
        SECRET_KEY("secretKey");

        private final String wire;

        KeySource(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        public static Optional<KeySource> fromWire(String value) {
            return Arrays.stream(values())
                    .filter(source -> source.wire.equals(value))
                    .findFirst();
        }

        @JsonCreator
        static KeySource read(String value) {
            return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown key source: " + value));
        }
    }
}
