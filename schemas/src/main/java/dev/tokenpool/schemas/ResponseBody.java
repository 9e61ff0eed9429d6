package dev.tokenpool.schemas;

/** A body the API answers with: a success shape of one operation, or an error. */
public sealed interface ResponseBody
        permits AddTokensResponse, DeleteTokensResponse, DeleteByOrderResponse, TokenDetails, ErrorResponse {
}
