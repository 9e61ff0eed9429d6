package dev.tokenpool.schemas;

/**
 * A project's secret key as the registry keeps it: AES-256-GCM ciphertext (base64 of nonce ‖ ciphertext
 * ‖ tag, the project ID as associated data) under the gateways' master key named by {@code masterKeyId}.
 * Only gateways holding that master key can read it.
 */
public record SealedSecret(String masterKeyId, String ciphertext, String issuedAt) {
    public SealedSecret {
        if (masterKeyId == null || ciphertext == null) {
            throw new IllegalArgumentException("a sealed secret names its master key and holds its ciphertext");
        }
    }
}
