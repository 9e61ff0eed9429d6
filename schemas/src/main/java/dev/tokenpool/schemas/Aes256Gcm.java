package dev.tokenpool.schemas;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM on Bouncy Castle with tokenpool's one byte layout: nonce (96 bits) ‖ ciphertext ‖ tag
 * (128 bits). Used for Secure Data Transmission (no associated data) and for sealing secrets under the
 * master key (the owner's ID as associated data, so a sealed secret cannot be moved to another owner).
 */
public final class Aes256Gcm {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aes256Gcm() {}

    /** Encrypts under a fresh random nonce. */
    public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return seal(key, nonce, plaintext, associatedData);
    }

    /** Encrypts under {@code nonce}: a test's fixed one; never reuse a nonce with a key. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        GCMModeCipher cipher = cipher(true, key, nonce, associatedData);
        byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + cipher.getOutputSize(plaintext.length));
        int length = cipher.processBytes(plaintext, 0, plaintext.length, out, NONCE_BYTES);
        try {
            cipher.doFinal(out, NONCE_BYTES + length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail on valid input", e);
        }
        return out;
    }

    /** The plaintext, or {@link InvalidCipherTextException} when the bytes do not authenticate under this key. */
    public static byte[] open(byte[] key, byte[] wire, byte[] associatedData) throws InvalidCipherTextException {
        if (wire.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new InvalidCipherTextException("too short for nonce and tag");
        }
        GCMModeCipher cipher = cipher(false, key, Arrays.copyOf(wire, NONCE_BYTES), associatedData);
        byte[] out = new byte[cipher.getOutputSize(wire.length - NONCE_BYTES)];
        int length = cipher.processBytes(wire, NONCE_BYTES, wire.length - NONCE_BYTES, out, 0);
        length += cipher.doFinal(out, length);
        return Arrays.copyOf(out, length);
    }

    private static GCMModeCipher cipher(boolean encrypting, byte[] key, byte[] nonce, byte[] associatedData) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypting, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, associatedData));
        return cipher;
    }
}
