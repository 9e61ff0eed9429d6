package dev.tokenpool.schemas;

/** A body the API answers with: a success shape of one operation, or an error. */
public sealed interface ResponseBody
        permits AddTokensResponse,
                DeleteTokensResponse,
                DeleteByOrderResponse,
                TokenDetails,
                TokenList,
                TokenCount,
                ErrorResponse {

    /** The HTTP status this body is answered with: 200 for every success shape, the catalogue's for an error. */
    default int httpStatus() {
        return 200;
    }
}
