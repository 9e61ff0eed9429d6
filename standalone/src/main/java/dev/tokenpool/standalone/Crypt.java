package dev.tokenpool.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.TransmissionCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code ./tokenpool encrypt|decrypt ecb|gcm SECRET [TEXT]}: Secure Data Transmission from a shell.
 * encrypt prints the base64 ciphertext of a JSON body; decrypt takes an answer ({@code {"data": "…"}})
 * or a bare ciphertext and prints the JSON inside. TEXT is read from standard input when omitted, so
 * {@code curl … | ./tokenpool decrypt gcm "$KEY"} works. SECRET is the API key or the secret key.
 */
public final class Crypt {
    private Crypt() {}

    public static void main(String[] args) throws IOException {
        Optional<TransmissionCipher.Mode> mode =
                args.length >= 3 ? TransmissionCipher.Mode.fromWire(args[1]) : Optional.empty();
        if (args.length < 3
                || args.length > 4
                || mode.isEmpty()
                || !(args[0].equals("encrypt") || args[0].equals("decrypt"))) {
            System.err.println(
                    "usage: ./tokenpool encrypt|decrypt ecb|gcm SECRET [TEXT]   (TEXT from standard input when omitted)");
            System.err.println("  e.g. ./tokenpool encrypt gcm \"$API_KEY\" '{\"tokenId\": [\"user001a\"]}'");
            System.exit(2);
        }
        TransmissionCipher cipher = TransmissionCipher.forSecret(mode.get(), args[2]);
        String text = args.length == 4 ? args[3] : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (args[0].equals("encrypt")) {
            System.out.println(cipher.encrypt(text.strip()));
            return;
        }
        try {
            System.out.println(cipher.decrypt(ciphertextOf(text.strip())));
        } catch (TransmissionCipher.DecryptionFailed e) {
            System.err.println("cannot decrypt with this secret and mode: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The ciphertext of an answer {@code {"data": "…"}}; any other text is taken as the ciphertext itself. */
    static String ciphertextOf(String text) {
        if (text.startsWith("{")) {
            try {
                JsonNode data =
                        Json.parse(text.getBytes(StandardCharsets.UTF_8)).get("data");
                if (data != null && data.isTextual()) {
                    return data.textValue();
                }
            } catch (IOException e) {
                return text;
            }
        }
        return text;
    }
}
