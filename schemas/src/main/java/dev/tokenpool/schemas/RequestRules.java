package dev.tokenpool.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the fields of a request body into a typed {@link PoolCommand}, or into the error the API
 * answers with. The gateway runs these rules at the edge and the processor runs them again on every
 * command it reads, so both give the same answer for the same input.
 */
public final class RequestRules {
    static final String TOKEN_ID = "tokenId";
    static final String COUNT = "count";
    static final String ORDER = "order";
    static final String TYPE = "type";
    static final String NEXT_PAGE_KEY_ID = "nextPageKeyId";
    static final String NEXT_PAGE_KEY_TIME = "nextPageKeyTime";

    private RequestRules() {}

    /** POST body: {"tokenId": [..]}. */
    public static Validation<PoolCommand> addTokens(ObjectNode fields) {
        return tokenIdList(fields).map(PoolCommand.AddTokens::new);
    }

    /** DELETE body: {"tokenId": [..]} or {"count": N, "order": "asc"|"desc"}. */
    public static Validation<PoolCommand> delete(ObjectNode fields) {
        boolean byIds = fields.has(TOKEN_ID);
        boolean byOrder = fields.has(COUNT) || fields.has(ORDER);
        if (byIds && byOrder) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "Send either tokenId, or count and order, not both.");
        }
        if (byOrder) {
            return deleteByOrder(fields);
        }
        if (!byIds && fields.isEmpty()) {
            return Validation.invalid(
                    ErrorCode.INVALID_PAYLOAD, "Request body must carry tokenId, or count and order.");
        }
        return deleteTokens(fields);
    }

    /** DELETE by IDs: {"tokenId": [..]}. */
    public static Validation<PoolCommand> deleteTokens(ObjectNode fields) {
        return tokenIdList(fields).map(PoolCommand.DeleteTokens::new);
    }

    /** DELETE by registration order: {"count": 1..5000, "order": "asc"|"desc"}. */
    public static Validation<PoolCommand> deleteByOrder(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, List.of(COUNT, ORDER));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        JsonNode count = fields.get(COUNT);
        if (count == null || count.isNull()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "count is required: a whole number from 1 to 5000.");
        }
        if (!count.isIntegralNumber()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "count must be a whole number from 1 to 5000.");
        }
        if (count.bigIntegerValue().signum() <= 0) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, "count must be at least 1.");
        }
        if (!count.canConvertToInt() || count.intValue() > PoolLimits.MAX_DELETE_BY_ORDER) {
            return Validation.invalid(ErrorCode.DELETE_TOKEN_LIMIT_EXCEEDED.response());
        }
        JsonNode order = fields.get(ORDER);
        if (order == null || !order.isTextual()) {
            return Validation.invalid(ErrorCode.INVALID_ORDER.response());
        }
        return Order.fromWire(order.textValue())
                .<Validation<PoolCommand>>map(o -> Validation.valid(new PoolCommand.DeleteByOrder(count.intValue(), o)))
                .orElseGet(() -> Validation.invalid(ErrorCode.INVALID_ORDER.response()));
    }

    /** GET ?tokenId= (the query value, or null when it is missing). */
    public static Validation<PoolCommand> getToken(String tokenId) {
        if (tokenId == null || tokenId.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_QUERY_PARAMETERS, "Query parameter tokenId is required.");
        }
        return TokenIdRules.violation(tokenId)
                .<Validation<PoolCommand>>map(code -> Validation.invalid(ErrorResponse.invalidTokenFormat(
                        List.of(InvalidToken.of(Json.MAPPER.getNodeFactory().textNode(tokenId), code)))))
                .orElseGet(() -> Validation.valid(new PoolCommand.GetToken(tokenId)));
    }

    /** The fields of a get_token command: {"tokenId": "..."}. */
    public static Validation<PoolCommand> getToken(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, List.of(TOKEN_ID));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        JsonNode tokenId = fields.get(TOKEN_ID);
        if (tokenId != null && !tokenId.isTextual()) {
            return Validation.invalid(ErrorCode.INVALID_QUERY_PARAMETERS, "tokenId must be a string.");
        }
        return getToken(tokenId == null ? null : tokenId.textValue());
    }

    /**
     * GET's query parameters, each name with every value it was given: {@code tokenId} alone (one token),
     * {@code type=count} alone (the count), nothing (the first page of the list), or both
     * {@code nextPageKeyId} and {@code nextPageKeyTime} (a later page). Anything else is
     * invalid_query_parameters.
     */
    public static Validation<PoolCommand> query(Map<String, List<String>> params) {
        if (params.values().stream().anyMatch(values -> values.size() != 1)) {
            return Validation.invalid(ErrorCode.INVALID_QUERY_PARAMETERS, "Each query parameter may be given once.");
        }
        Set<String> names = params.keySet();
        if (names.equals(Set.of(TOKEN_ID))) {
            return getToken(params.get(TOKEN_ID).getFirst());
        }
        if (names.equals(Set.of(TYPE))) {
            return "count".equals(params.get(TYPE).getFirst())
                    ? Validation.valid(new PoolCommand.CountTokens())
                    : Validation.invalid(ErrorCode.INVALID_QUERY_PARAMETERS, "type must be 'count'.");
        }
        if (names.isEmpty()) {
            return Validation.valid(new PoolCommand.ListTokens(null));
        }
        if (names.equals(Set.of(NEXT_PAGE_KEY_ID, NEXT_PAGE_KEY_TIME))) {
            return pageKey(
                            params.get(NEXT_PAGE_KEY_ID).getFirst(),
                            params.get(NEXT_PAGE_KEY_TIME).getFirst())
                    .map(PoolCommand.ListTokens::new);
        }
        return Validation.invalid(
                ErrorCode.INVALID_QUERY_PARAMETERS,
                "Use tokenId, or type=count, or no parameter "
                        + "(the list), or nextPageKeyId with nextPageKeyTime (its next page).");
    }

    private static Validation<PageKey> pageKey(String tokenId, String time) {
        Optional<Long> stamp = PageKey.parseTime(time);
        if (TokenIdRules.violation(Json.MAPPER.getNodeFactory().textNode(tokenId))
                        .isPresent()
                || stamp.isEmpty()) {
            return Validation.invalid(
                    ErrorCode.INVALID_QUERY_PARAMETERS,
                    "nextPageKeyId and nextPageKeyTime must be passed back as the previous page gave them.");
        }
        return Validation.valid(new PageKey(tokenId, stamp.get()));
    }

    /** The fields of a list_tokens command: none (the first page), or nextPageKeyId and nextPageKeyTime. */
    public static Validation<PoolCommand> listTokens(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, List.of(NEXT_PAGE_KEY_ID, NEXT_PAGE_KEY_TIME));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        JsonNode id = fields.get(NEXT_PAGE_KEY_ID);
        JsonNode time = fields.get(NEXT_PAGE_KEY_TIME);
        if (id == null && time == null) {
            return Validation.valid(new PoolCommand.ListTokens(null));
        }
        if (id == null || time == null || !id.isTextual() || !time.isTextual()) {
            return Validation.invalid(
                    ErrorCode.INVALID_QUERY_PARAMETERS, "nextPageKeyId and nextPageKeyTime go together, as strings.");
        }
        return pageKey(id.textValue(), time.textValue()).map(PoolCommand.ListTokens::new);
    }

    /** The fields of a count_tokens command: none. */
    public static Validation<PoolCommand> countTokens(ObjectNode fields) {
        return JsonFields.unknown(fields, List.of())
                .<Validation<PoolCommand>>map(Validation::invalid)
                .orElseGet(() -> Validation.valid(new PoolCommand.CountTokens()));
    }

    /** POST /use body, and the fields of a use_token command: {"tokenId": "…"}. */
    public static Validation<PoolCommand> useToken(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, List.of(TOKEN_ID));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        JsonNode tokenId = fields.get(TOKEN_ID);
        if (tokenId == null
                || tokenId.isNull()
                || (tokenId.isTextual() && tokenId.textValue().isEmpty())) {
            return Validation.invalid(
                    ErrorCode.INVALID_TOKEN_ID.response("tokenId is missing or empty: send one token ID as a string."));
        }
        return TokenIdRules.violation(tokenId)
                .<Validation<PoolCommand>>map(code ->
                        Validation.invalid(ErrorResponse.invalidTokenFormat(List.of(InvalidToken.of(tokenId, code)))))
                .orElseGet(() -> Validation.valid(new PoolCommand.UseToken(tokenId.textValue())));
    }

    private static Validation<List<String>> tokenIdList(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, List.of(TOKEN_ID));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        JsonNode tokenIds = fields.get(TOKEN_ID);
        if (tokenIds == null || !tokenIds.isArray() || tokenIds.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_TOKEN_ID.response());
        }
        if (tokenIds.size() > PoolLimits.MAX_IDS_PER_REQUEST) {
            return Validation.invalid(ErrorCode.REQUEST_TOKEN_LIMIT_EXCEEDED.response());
        }
        List<String> ids = new ArrayList<>(tokenIds.size());
        List<InvalidToken> invalid = new ArrayList<>();
        for (JsonNode tokenId : tokenIds) {
            TokenIdRules.violation(tokenId)
                    .ifPresentOrElse(
                            code -> invalid.add(InvalidToken.of(tokenId, code)), () -> ids.add(tokenId.textValue()));
        }
        if (!invalid.isEmpty()) {
            return Validation.invalid(ErrorResponse.invalidTokenFormat(invalid));
        }
        return Validation.valid(ids);
    }
}
