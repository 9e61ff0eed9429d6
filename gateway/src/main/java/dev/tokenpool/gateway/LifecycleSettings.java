package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.Validation;
import dev.tokenpool.schemas.VolumeDeletion;
import java.util.Optional;
import java.util.Set;

/**
 * The token lifecycle fields of an admin body, checked: {@code expiration} and {@code volumeDeletion}.
 * Each is absent (null: unchanged), JSON null (an empty Optional: none) or the setting.
 */
final class LifecycleSettings {
    static final int MAX_USES = 1_000_000;

    private LifecycleSettings() {
    }

    /** {"maxUses": 1.., "ttlSeconds": 1..}, either or both. */
    static Validation<Optional<Expiration>> expiration(JsonNode json) {
        if (json == null) {
            return Validation.valid(null);
        }
        if (json.isNull()) {
            return Validation.valid(Optional.empty());
        }
        String shape = "expiration must be null or {\"maxUses\": 1 to " + MAX_USES + ", \"ttlSeconds\": 1 to "
                + Expiration.MAX_TTL_SECONDS + "}, with either or both.";
        if (!(json instanceof ObjectNode fields) || AdminApi.unknownField(fields, Set.of("maxUses", "ttlSeconds")).isPresent() || fields.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, shape);
        }
        JsonNode maxUses = fields.get("maxUses");
        JsonNode ttl = fields.get("ttlSeconds");
        if (!wholeNumber(maxUses, 1, MAX_USES) || !wholeNumber(ttl, 1, Expiration.MAX_TTL_SECONDS)) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, shape);
        }
        return Validation.valid(Optional.of(new Expiration(maxUses == null ? null : maxUses.intValue(),
                ttl == null ? null : ttl.longValue())));
    }

    /** {"startRatio": (0, 1], "deleteRatio": (0, 1], "order": "asc"|"desc" (default asc)}. */
    static Validation<Optional<VolumeDeletion>> volumeDeletion(JsonNode json) {
        if (json == null) {
            return Validation.valid(null);
        }
        if (json.isNull()) {
            return Validation.valid(Optional.empty());
        }
        String shape = "volumeDeletion must be null or {\"startRatio\": above 0 to 1, \"deleteRatio\": above 0 to 1, "
                + "\"order\": \"asc\" or \"desc\"}.";
        if (!(json instanceof ObjectNode fields) || AdminApi.unknownField(fields, Set.of("startRatio", "deleteRatio", "order")).isPresent()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, shape);
        }
        JsonNode start = fields.get("startRatio");
        JsonNode delete = fields.get("deleteRatio");
        JsonNode order = fields.get("order");
        Optional<Order> parsedOrder = order == null ? Optional.of(Order.ASC)
                : Order.fromWire(order.isTextual() ? order.textValue() : "");
        if (!ratio(start) || !ratio(delete) || parsedOrder.isEmpty()) {
            return Validation.invalid(ErrorCode.INVALID_PAYLOAD, shape);
        }
        return Validation.valid(Optional.of(new VolumeDeletion(start.doubleValue(), delete.doubleValue(), parsedOrder.get())));
    }

    private static boolean ratio(JsonNode value) {
        return value != null && value.isNumber() && value.doubleValue() > 0 && value.doubleValue() <= 1;
    }

    /** Absent, or a whole number within bounds. */
    private static boolean wholeNumber(JsonNode value, long min, long max) {
        return value == null || (value.isIntegralNumber() && value.canConvertToLong()
                && value.longValue() >= min && value.longValue() <= max);
    }

}
