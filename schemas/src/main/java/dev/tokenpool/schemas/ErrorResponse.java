package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The error body of the public API: {errorCode, errorMessage, errorDetails?}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(String errorCode, String errorMessage, Details errorDetails) implements ResponseBody {

    /** Details of invalid_token_id_format: one entry per offending token ID. */
    public record Details(List<InvalidToken> invalidTokens) {}

    public static ErrorResponse invalidTokenFormat(List<InvalidToken> invalidTokens) {
        ErrorCode code = ErrorCode.INVALID_TOKEN_ID_FORMAT;
        return new ErrorResponse(code.code(), code.defaultMessage(), new Details(List.copyOf(invalidTokens)));
    }

    /** HTTP status of this error, from the catalogue. */
    @Override
    public int httpStatus() {
        return ErrorCode.fromCode(errorCode).httpStatus();
    }
}
