package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Expiration;
import dev.tokenpool.schemas.JsonFields;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Validation;
import dev.tokenpool.schemas.VolumeDeletion;
import dev.tokenpool.schemas.Webhook;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the body of POST and PATCH /admin/projects may say: each field left out keeps its setting,
 * JSON null clears the settings that may be none (expiration, volumeDeletion, rateLimit and its
 * fields), and a value sets it. The first field that breaks its rule is the answer.
 */
final class ProjectBody {
    static final int MAX_BYTES = 16 * 1024;
    private static final List<String> FIELDS = List.of(
            "name",
            "poolLimit",
            "secureTransmission",
            "expiration",
            "deleteOnExpiration",
            "volumeDeletion",
            "rateLimit",
            "webhook");
    private static final String EXPIRATION_RULE = "expiration must be null or {\"maxUses\": 1 to " + Expiration.MAX_USES
            + ", \"ttlSeconds\": 1 to " + Expiration.MAX_TTL_SECONDS + "}, with either or both.";
    private static final String VOLUME_DELETION_RULE = "volumeDeletion must be null or {\"startRatio\": above 0 to 1, "
            + "\"deleteRatio\": above 0 to 1, \"order\": \"asc\" or \"desc\"}.";
    private static final String RATE_LIMIT_RULE = "rateLimit must be null or {\"requestsPerSecond\": 1 to "
            + RateLimit.MAX_PER_SECOND + " or null, \"requestsPerDay\": 1 to " + RateLimit.MAX_PER_DAY + " or null}.";

    private static final String WEBHOOK_RULE = "webhook must be null or {\"url\": \"https://…\" (at most "
            + Webhook.MAX_URL_LENGTH + " characters), \"events\": one or more of " + String.join(", ", Webhook.EVENTS)
            + " (left out: every one)}.";

    private ProjectBody() {}

    /** A create body: a name, and any other setting. */
    static Validation<ProjectChanges> create(ObjectNode fields) {
        return fields.has("name")
                ? changes(fields)
                : invalid("name must be a string of 1 to " + ProjectRecord.MAX_NAME_LENGTH + " characters.");
    }

    /** A PATCH body: any of the settings. */
    static Validation<ProjectChanges> patch(ObjectNode fields) {
        return changes(fields);
    }

    private static Validation<ProjectChanges> changes(ObjectNode fields) {
        Optional<ErrorResponse> unknown = JsonFields.unknown(fields, FIELDS);
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        Reader body = new Reader();
        Change<String> name = body.change(fields.get("name"), false, ProjectBody::name);
        Change<Long> poolLimit = body.change(fields.get("poolLimit"), false, ProjectBody::poolLimit);
        ProjectChanges.Transmission transmission = body.read(
                fields.get("secureTransmission"), ProjectChanges.Transmission.KEEP, ProjectBody::transmission);
        Change<Expiration> expiration = body.change(fields.get("expiration"), true, ProjectBody::expiration);
        Change<Boolean> deleteOnExpiration =
                body.change(fields.get("deleteOnExpiration"), false, value -> bool(value, "deleteOnExpiration"));
        Change<VolumeDeletion> volumeDeletion =
                body.change(fields.get("volumeDeletion"), true, ProjectBody::volumeDeletion);
        Rates rates = body.read(fields.get("rateLimit"), Rates.KEEP, ProjectBody::rateLimit);
        Change<ProjectChanges.WebhookTarget> webhook = body.change(fields.get("webhook"), true, ProjectBody::webhook);
        return body.result(() -> new ProjectChanges(
                name,
                poolLimit,
                transmission,
                expiration,
                deleteOnExpiration,
                volumeDeletion,
                rates.perSecond(),
                rates.perDay(),
                webhook));
    }

    private static Validation<String> name(JsonNode value) {
        return value.isTextual()
                        && !value.textValue().isBlank()
                        && value.textValue().length() <= ProjectRecord.MAX_NAME_LENGTH
                ? Validation.valid(value.textValue())
                : invalid("name must be a string of 1 to " + ProjectRecord.MAX_NAME_LENGTH + " characters.");
    }

    private static Validation<Long> poolLimit(JsonNode value) {
        return whole(
                value,
                PoolLimits.MAX_POOL_LIMIT,
                "poolLimit must be a whole number from 1 to " + PoolLimits.MAX_POOL_LIMIT + ".");
    }

    /** {"enabled": bool, "mode": "ecb"|"gcm", "key": "apiKey"|"secretKey"}, any of them. */
    private static Validation<ProjectChanges.Transmission> transmission(JsonNode value) {
        if (!(value instanceof ObjectNode fields)) {
            return invalid(
                    "secureTransmission must be an object: {\"enabled\": true, \"mode\": \"gcm\", \"key\": \"apiKey\"}.");
        }
        Optional<ErrorResponse> unknown =
                JsonFields.unknown(fields, "secureTransmission.", List.of("enabled", "mode", "key"));
        if (unknown.isPresent()) {
            return Validation.invalid(unknown.get());
        }
        Reader body = new Reader();
        Change<Boolean> enabled = body.change(
                fields.get("enabled"), false, enabledValue -> bool(enabledValue, "secureTransmission.enabled"));
        Change<TransmissionCipher.Mode> mode = body.change(
                fields.get("mode"),
                false,
                modeValue -> oneOf(
                        modeValue,
                        TransmissionCipher.Mode::fromWire,
                        "secureTransmission.mode must be \"ecb\" or \"gcm\"."));
        Change<SecureTransmission.KeySource> key = body.change(
                fields.get("key"),
                false,
                keyValue -> oneOf(
                        keyValue,
                        SecureTransmission.KeySource::fromWire,
                        "secureTransmission.key must be \"apiKey\" or \"secretKey\"."));
        return body.result(() -> new ProjectChanges.Transmission(enabled, mode, key));
    }

    /** {"maxUses": 1.., "ttlSeconds": 1..}, either or both. */
    private static Validation<Expiration> expiration(JsonNode value) {
        if (!(value instanceof ObjectNode fields)
                || fields.isEmpty()
                || JsonFields.unknown(fields, List.of("maxUses", "ttlSeconds")).isPresent()) {
            return invalid(EXPIRATION_RULE);
        }
        JsonNode maxUses = fields.get("maxUses");
        JsonNode ttl = fields.get("ttlSeconds");
        if ((maxUses != null && !JsonFields.wholeNumber(maxUses, 1, Expiration.MAX_USES))
                || (ttl != null && !JsonFields.wholeNumber(ttl, 1, Expiration.MAX_TTL_SECONDS))) {
            return invalid(EXPIRATION_RULE);
        }
        return Validation.valid(
                new Expiration(maxUses == null ? null : maxUses.intValue(), ttl == null ? null : ttl.longValue()));
    }

    /** {"startRatio": (0, 1], "deleteRatio": (0, 1], "order": "asc"|"desc" (default asc)}. */
    private static Validation<VolumeDeletion> volumeDeletion(JsonNode value) {
        if (!(value instanceof ObjectNode fields)
                || JsonFields.unknown(fields, List.of("startRatio", "deleteRatio", "order"))
                        .isPresent()) {
            return invalid(VOLUME_DELETION_RULE);
        }
        JsonNode start = fields.get("startRatio");
        JsonNode delete = fields.get("deleteRatio");
        JsonNode order = fields.get("order");
        Optional<Order> parsedOrder =
                order == null ? Optional.of(Order.ASC) : Order.fromWire(order.isTextual() ? order.textValue() : "");
        if (!ratio(start) || !ratio(delete) || parsedOrder.isEmpty()) {
            return invalid(VOLUME_DELETION_RULE);
        }
        return Validation.valid(new VolumeDeletion(start.doubleValue(), delete.doubleValue(), parsedOrder.get()));
    }

    /** The two limits of {"requestsPerSecond": …, "requestsPerDay": …}; null clears both. */
    private record Rates(Change<Integer> perSecond, Change<Long> perDay) {
        static final Rates KEEP = new Rates(Change.keep(), Change.keep());
    }

    /** null, or {"requestsPerSecond": 1.. or null, "requestsPerDay": 1.. or null}; a field left out keeps its limit. */
    private static Validation<Rates> rateLimit(JsonNode value) {
        if (value.isNull()) {
            return Validation.valid(new Rates(Change.clear(), Change.clear()));
        }
        if (!(value instanceof ObjectNode limits)
                || JsonFields.unknown(limits, List.of("requestsPerSecond", "requestsPerDay"))
                        .isPresent()) {
            return invalid(RATE_LIMIT_RULE);
        }
        Reader body = new Reader();
        Change<Integer> perSecond = body.change(
                limits.get("requestsPerSecond"),
                true,
                limit -> whole(limit, RateLimit.MAX_PER_SECOND, RATE_LIMIT_RULE).map(Long::intValue));
        Change<Long> perDay = body.change(
                limits.get("requestsPerDay"), true, limit -> whole(limit, RateLimit.MAX_PER_DAY, RATE_LIMIT_RULE));
        return body.result(() -> new Rates(perSecond, perDay));
    }

    /** {"url": "https://…", "events": ["token_expired", …]} (events left out: every one); null turns it off. */
    private static Validation<ProjectChanges.WebhookTarget> webhook(JsonNode value) {
        if (!(value instanceof ObjectNode fields)
                || JsonFields.unknown(fields, List.of("url", "events")).isPresent()) {
            return invalid(WEBHOOK_RULE);
        }
        JsonNode url = fields.get("url");
        JsonNode events = fields.get("events");
        if (url == null
                || !url.isTextual()
                || url.textValue().isEmpty()
                || url.textValue().length() > Webhook.MAX_URL_LENGTH) {
            return invalid(WEBHOOK_RULE);
        }
        if (events == null || events.isNull()) {
            return Validation.valid(new ProjectChanges.WebhookTarget(url.textValue(), null));
        }
        if (!events.isArray() || events.isEmpty()) {
            return invalid(WEBHOOK_RULE);
        }
        List<String> triggers = new java.util.ArrayList<>();
        for (JsonNode event : events) {
            if (!event.isTextual() || !Webhook.EVENTS.contains(event.textValue())) {
                return invalid(WEBHOOK_RULE);
            }
            if (!triggers.contains(event.textValue())) {
                triggers.add(event.textValue());
            }
        }
        return Validation.valid(new ProjectChanges.WebhookTarget(url.textValue(), triggers));
    }

    private static boolean ratio(JsonNode value) {
        return value != null && value.isNumber() && value.doubleValue() > 0 && value.doubleValue() <= 1;
    }

    private static Validation<Long> whole(JsonNode value, long max, String rule) {
        return JsonFields.wholeNumber(value, 1, max) ? Validation.valid(value.longValue()) : invalid(rule);
    }

    private static Validation<Boolean> bool(JsonNode value, String field) {
        return value.isBoolean() ? Validation.valid(value.booleanValue()) : invalid(field + " must be true or false.");
    }

    private static <T> Validation<T> oneOf(JsonNode value, Function<String, Optional<T>> fromWire, String rule) {
        return fromWire.apply(value.isTextual() ? value.textValue() : "")
                .<Validation<T>>map(Validation::valid)
                .orElseGet(() -> invalid(rule));
    }

    private static <T> Validation<T> invalid(String message) {
        return Validation.invalid(ErrorCode.INVALID_PAYLOAD, message);
    }

    /** Reads the fields of one body in turn and keeps the first refusal; once refused, nothing more is read. */
    private static final class Reader {
        private ErrorResponse refusal;

        /** A field: absent keeps, JSON null clears where {@code clearable}, anything else must pass {@code rule}. */
        <T> Change<T> change(JsonNode value, boolean clearable, Function<JsonNode, Validation<T>> rule) {
            if (value != null && value.isNull() && clearable) {
                return Change.clear();
            }
            return read(value, Change.keep(), json -> rule.apply(json).map(Change::set));
        }

        <T> T read(JsonNode value, T absent, Function<JsonNode, Validation<T>> rule) {
            if (value == null || refusal != null) {
                return absent;
            }
            return switch (rule.apply(value)) {
                case Validation.Valid<T> valid -> valid.value();
                case Validation.Invalid<T> invalid -> {
                    refusal = invalid.error();
                    yield absent;
                }
            };
        }

        <T> Validation<T> result(Supplier<T> value) {
            return refusal == null ? Validation.valid(value.get()) : Validation.invalid(refusal);
        }
    }
}
