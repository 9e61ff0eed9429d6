package dev.tokenpool.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The AES-256 of Secure Data Transmission, for the gateway and for any client: the key is the
 * SHA-256 (32 raw bytes) of a secret (the project's API key or its dedicated secret key), the
 * plaintext is the UTF-8 JSON body, and the text on the wire is standard base64 with padding.
 * <ul>
 *   <li>{@link Mode#ECB}: AES-256-ECB with PKCS#7 padding, what existing clients of the public API use.
 *       It leaks patterns (equal blocks encrypt alike) and has no integrity check.</li>
 *   <li>{@link Mode#GCM}: AES-256-GCM, a random 96-bit nonce per message and a 128-bit tag, no
 *       associated data; the wire bytes are nonce ‖ ciphertext ‖ tag. The recommended mode.</li>
 * </ul>
 * All cipher work is Bouncy Castle's; this class only lays the bytes out.
 */
public final class TransmissionCipher {
    public static final int KEY_BYTES = 32;
    public static final int GCM_NONCE_BYTES = Aes256Gcm.NONCE_BYTES;
    public static final int GCM_TAG_BITS = Aes256Gcm.TAG_BITS;

    /** How a project's traffic is encrypted. */
    public enum Mode {
        ECB("ecb"),
        GCM("gcm");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return wire;
        }

        public static Optional<Mode> fromWire(String value) {
            return Arrays.stream(values())
                    .filter(mode -> mode.wire.equals(value))
                    .findFirst();
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        static Mode read(String value) {
            return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown mode: " + value));
        }
    }

    /** A ciphertext that cannot be read with this key and mode: not base64, wrong key, tampered, truncated. */
    public static final class DecryptionFailed extends Exception {
        public DecryptionFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Mode mode;
    private final byte[] key;

    private TransmissionCipher(Mode mode, byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        this.mode = mode;
        this.key = key.clone();
    }

    /** The cipher whose key is SHA-256 of {@code secret} (UTF-8), as the client sends or holds it. */
    public static TransmissionCipher forSecret(Mode mode, String secret) {
        return new TransmissionCipher(mode, sha256(secret));
    }

    public static TransmissionCipher withKey(Mode mode, byte[] key) {
        return new TransmissionCipher(mode, key);
    }

    public Mode mode() {
        return mode;
    }

    /** The base64 ciphertext of a JSON body. */
    public String encrypt(String plaintext) {
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder()
                .encodeToString(
                        switch (mode) {
                            case ECB -> encryptEcb(input);
                            case GCM -> Aes256Gcm.seal(key, input, null);
                        });
    }

    /** GCM under a fixed nonce, for known-answer tests. Never reuse a nonce with a key. */
    String encrypt(String plaintext, byte[] nonce) {
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder()
                .encodeToString(mode == Mode.GCM ? Aes256Gcm.seal(key, nonce, input, null) : encryptEcb(input));
    }

    private byte[] encryptEcb(byte[] input) {
        try {
            return run(ecb(true), input);
        } catch (CryptoException e) {
            throw new IllegalStateException("encryption cannot fail on valid input", e);
        }
    }

    /** The JSON body inside a base64 ciphertext. */
    public String decrypt(String base64) throws DecryptionFailed {
        byte[] wire;
        try {
            wire = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailed("not standard base64");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(decryptBytes(wire)))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DecryptionFailed("plaintext is not UTF-8");
        }
    }

    /** The plaintext bytes inside the wire bytes (nonce ‖ ciphertext ‖ tag for GCM). */
    byte[] decryptBytes(byte[] wire) throws DecryptionFailed {
        try {
            return switch (mode) {
                case ECB -> run(ecb(false), wire);
                case GCM -> Aes256Gcm.open(key, wire, null);
            };
        } catch (CryptoException | DataLengthException | IllegalStateException e) {
            throw new DecryptionFailed(
                    mode == Mode.GCM ? "does not authenticate with this key" : "bad padding for this key");
        }
    }

    private BufferedBlockCipher ecb(boolean encrypting) {
        BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(AESEngine.newInstance(), new PKCS7Padding());
        cipher.init(encrypting, new KeyParameter(key));
        return cipher;
    }

    private static byte[] run(BufferedBlockCipher cipher, byte[] input) throws CryptoException {
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int length = cipher.processBytes(input, 0, input.length, out, 0);
        length += cipher.doFinal(out, length);
        return Arrays.copyOf(out, length);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
