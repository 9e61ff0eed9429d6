package dev.tokenpool.gateway;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.Aes256Gcm;
import dev.tokenpool.schemas.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.InvalidCipherTextException;

/**
 * The gateways' master keys (TOKENPOOL_MASTER_KEY: base64 of 32 random bytes, or several separated by
 * commas). Project secret keys are sealed under the first (AES-256-GCM, the project ID as associated
 * data) and opened with whichever key sealed them, so a master key is rotated by putting the new one
 * first, re-sealing (POST /admin/secret-keys/reseal), then dropping the old one. The keys never leave
 * this class: the registry only names them by an ID derived from them.
 */
public final class MasterKeys {
    public static final String VARIABLE = Settings.MASTER_KEY.name();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed secret this gateway cannot open: unknown master key, or ciphertext that does not authenticate. */
    static final class CannotOpen extends Exception {
        CannotOpen(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, byte[]> byId; // first entry: the key that seals

    private MasterKeys(Map<String, byte[]> byId) {
        this.byId = byId;
    }

    public static MasterKeys none() {
        return new MasterKeys(Map.of());
    }

    /** The keys in {@code value}; the error never repeats the value, which is a secret. */
    public static MasterKeys parse(String value) {
        if (value == null || value.isBlank()) {
            return none();
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String[] parts = value.split(",");
        for (int i = 0; i < parts.length; i++) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[i].strip());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (key.length != Aes256Gcm.KEY_BYTES) {
                throw new Env.BadSetting(VARIABLE + " must be base64 of 32 random bytes (several separated by commas); "
                        + "key " + (i + 1) + " is not (generate one with: openssl rand -base64 32)");
            }
            keys.putIfAbsent(id(key), key);
        }
        return new MasterKeys(keys);
    }

    public static MasterKeys from(Env env) {
        return parse(Settings.MASTER_KEY.from(env));
    }

    /** A new master key, as TOKENPOOL_MASTER_KEY takes it. */
    public static String generate() {
        byte[] key = new byte[Aes256Gcm.KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public boolean present() {
        return !byId.isEmpty();
    }

    /** The ID of the key that seals: the registry names it, so a gateway knows which key opens a secret. */
    String sealingId() {
        return byId.keySet().iterator().next();
    }

    SealedSecret seal(String projectId, String secret, String issuedAt) {
        String id = sealingId();
        byte[] sealed =
                Aes256Gcm.seal(byId.get(id), secret.getBytes(StandardCharsets.UTF_8), associatedData(projectId));
        return new SealedSecret(id, Base64.getEncoder().encodeToString(sealed), issuedAt);
    }

    String open(String projectId, SealedSecret sealed) throws CannotOpen {
        byte[] key = byId.get(sealed.masterKeyId());
        if (key == null) {
            throw new CannotOpen("the secret key of " + projectId + " is sealed under master key "
                    + sealed.masterKeyId() + ", which " + VARIABLE + " of this gateway does not hold");
        }
        try {
            byte[] secret =
                    Aes256Gcm.open(key, Base64.getDecoder().decode(sealed.ciphertext()), associatedData(projectId));
            return new String(secret, StandardCharsets.UTF_8);
        } catch (InvalidCipherTextException | IllegalArgumentException e) {
            throw new CannotOpen(
                    "the secret key of " + projectId + " does not open under master key " + sealed.masterKeyId());
        }
    }

    /** {@code sealed} under the current sealing key (the same when it already is). */
    SealedSecret reseal(String projectId, SealedSecret sealed) throws CannotOpen {
        if (sealed.masterKeyId().equals(sealingId())) {
            return sealed;
        }
        return seal(projectId, open(projectId, sealed), sealed.issuedAt());
    }

    private static byte[] associatedData(String projectId) {
        return ("tokenpool secret key of " + projectId).getBytes(StandardCharsets.UTF_8);
    }

    /** "mk-" and 8 hex digits of a hash of the key under a label: names the key, tells nothing of it. */
    private static String id(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("tokenpool master key id".getBytes(StandardCharsets.UTF_8));
            return "mk-" + HexFormat.of().formatHex(digest.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKeys" + byId.keySet(); // IDs only: a settings record printed in a log shows no key
    }
}
