package dev.tokenpool.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
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
    public static final int GCM_NONCE_BYTES = 12;
    public static final int GCM_TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a project's traffic is encrypted. */
    public enum Mode {
        ECB("ecb"), GCM("gcm");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Mode> fromWire(String value) {
            return Arrays.stream(values()).filter(mode -> mode.wire.equals(value)).findFirst();
        }
    }

    /** A ciphertext that cannot be read with this key and mode: not base64, wrong key, tampered, truncated. */
    public static final class DecryptionFailed extends Exception {
        DecryptionFailed(String reason) {
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
        byte[] nonce = null;
        if (mode == Mode.GCM) {
            nonce = new byte[GCM_NONCE_BYTES];
            RANDOM.nextBytes(nonce);
        }
        return encrypt(plaintext, nonce);
    }

    /** ECB ignores {@code nonce}; GCM uses it, so a test can give a fixed one. Never reuse a nonce with a key. */
    String encrypt(String plaintext, byte[] nonce) {
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] wire = switch (mode) {
                case ECB -> run(ecb(true), input);
                case GCM -> {
                    byte[] sealed = run(gcm(true, nonce), input);
                    byte[] out = Arrays.copyOf(nonce, GCM_NONCE_BYTES + sealed.length);
                    System.arraycopy(sealed, 0, out, GCM_NONCE_BYTES, sealed.length);
                    yield out;
                }
            };
            return Base64.getEncoder().encodeToString(wire);
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
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(decryptBytes(wire))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DecryptionFailed("plaintext is not UTF-8");
        }
    }

    /** The plaintext bytes inside the wire bytes (nonce ‖ ciphertext ‖ tag for GCM). */
    byte[] decryptBytes(byte[] wire) throws DecryptionFailed {
        try {
            return switch (mode) {
                case ECB -> run(ecb(false), wire);
                case GCM -> {
                    if (wire.length < GCM_NONCE_BYTES + GCM_TAG_BITS / 8) {
                        throw new DecryptionFailed("too short for nonce and tag");
                    }
                    yield run(gcm(false, Arrays.copyOf(wire, GCM_NONCE_BYTES)),
                            Arrays.copyOfRange(wire, GCM_NONCE_BYTES, wire.length));
                }
            };
        } catch (CryptoException | DataLengthException | IllegalStateException e) {
            throw new DecryptionFailed(mode == Mode.GCM ? "does not authenticate with this key" : "bad padding for this key");
        }
    }

    private BufferedBlockCipher ecb(boolean encrypting) {
        BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(AESEngine.newInstance(), new PKCS7Padding());
        cipher.init(encrypting, new KeyParameter(key));
        return cipher;
    }

    private GCMModeCipher gcm(boolean encrypting, byte[] nonce) {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypting, new AEADParameters(new KeyParameter(key), GCM_TAG_BITS, nonce));
        return cipher;
    }

    private static byte[] run(BufferedBlockCipher cipher, byte[] input) throws CryptoException {
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int length = cipher.processBytes(input, 0, input.length, out, 0);
        length += cipher.doFinal(out, length);
        return Arrays.copyOf(out, length);
    }

    private static byte[] run(AEADCipher cipher, byte[] input) throws CryptoException {
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
