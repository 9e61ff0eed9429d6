package dev.tokenpool.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Project API keys and secret keys: 32 random bytes, shown once when issued. The registry keeps an
 * API key only as its lookup hash: HMAC-SHA256 under a fixed label of tokenpool's own, so the hash is
 * never the plain SHA-256 of the key, which is the AES key of Secure Data Transmission. A plain
 * (keyed) hash suffices because the keys are random and long, not chosen by people.
 */
public final class ApiKeys {
    /** Marks the current hash form in the registry; a hash without it is the legacy SHA-256 form. */
    static final String HASH_PREFIX = "hmac-sha256:";

    private static final byte[] LOOKUP_LABEL = "tokenpool api-key lookup v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String generate() {
        return random("tp_");
    }

    /** An admin key, for a deployment that lets tokenpool make one (the standalone). */
    public static String generateAdminKey() {
        return random("tpa_");
    }

    /** A secret key of Secure Data Transmission. */
    static String generateSecretKey() {
        return random("tps_");
    }

    private static String random(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The lookup hash the registry keeps for {@code apiKey}. */
    public static String hash(String apiKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(LOOKUP_LABEL, "HmacSHA256"));
            return HASH_PREFIX + HexFormat.of().formatHex(mac.doFinal(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /**
     * The hash registries written before the lookup hash kept: hex SHA-256 of the key. Only read, to find
     * such a project once and store its key's current hash instead.
     */
    static String legacyHash(String apiKey) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Names the key in the audit log: "api-key:" and the first 12 hex digits of its lookup hash (48 bits
     * of an HMAC: tells keys apart, tells nothing of the key).
     */
    static String fingerprint(String apiKey) {
        return fingerprintOfHash(hash(apiKey));
    }

    /** The fingerprint of a key from its lookup hash (current form), so a request hashes its key only once. */
    static String fingerprintOfHash(String hash) {
        return "api-key:" + hash.substring(HASH_PREFIX.length(), HASH_PREFIX.length() + 12);
    }

    static boolean isLegacy(String hash) {
        return hash != null && !hash.startsWith(HASH_PREFIX);
    }

    /** Compares secrets in constant time, so timing does not tell how much of a guess was right. */
    static boolean matches(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
