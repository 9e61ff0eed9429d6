package dev.tokenpool.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Checks shared by every JSON body tokenpool reads: request bodies, command fields and admin bodies. */
public final class JsonFields {
    private JsonFields() {}

    /** The refusal of the first field of {@code fields} that is not {@code allowed}, if any. */
    public static Optional<ErrorResponse> unknown(ObjectNode fields, List<String> allowed) {
        return unknown(fields, "", allowed);
    }

    /**
     * The refusal of the first field of {@code fields} that is not {@code allowed}, named after
     * {@code path} (such as {@code "secureTransmission."}) and listing the allowed fields.
     */
    public static Optional<ErrorResponse> unknown(ObjectNode fields, String path, List<String> allowed) {
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return Optional.of(ErrorCode.INVALID_PAYLOAD.response("Unknown field '" + path + name
                        + "'. Allowed fields: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + "."));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code value} is a whole number from {@code min} to {@code max}. */
    public static boolean wholeNumber(JsonNode value, long min, long max) {
        return value != null
                && value.isIntegralNumber()
                && value.canConvertToLong()
                && value.longValue() >= min
                && value.longValue() <= max;
    }
}
