package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.TransmissionCipher;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answer to one token API request: plain JSON, or sealed under the project's cipher when the
 * project uses Secure Data Transmission (same status, body {@code {"data": "<ciphertext>"}}).
 *
 * @param cipher null when the project's traffic is plain
 */
record Reply(HttpServerResponse response, TransmissionCipher cipher) {

    static Reply plain(HttpServerResponse response) {
        return new Reply(response, null);
    }

    void json(int status, Object body) {
        Responses.json(response, status, cipher == null ? body : SecureChannel.seal(cipher, body));
    }

    void error(ErrorResponse error) {
        json(error.httpStatus(), error);
    }

    void error(ErrorCode code) {
        error(code.response());
    }

    void error(ErrorCode code, String message) {
        error(code.response(message));
    }

    /** Answered plain even for an encrypted project: the client may not hold the key it would need to read it. */
    void decryptionFailed() {
        Responses.error(response, ErrorCode.INVALID_PAYLOAD, SecureChannel.DECRYPTION_FAILED);
    }
}
