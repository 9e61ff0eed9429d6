package dev.tokenpool.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** What an admin body says of one setting: nothing (keep it), JSON null (clear it), or a value (set it). */
sealed interface Change<T> {
    record Keep<T>() implements Change<T> {
    }

    record Clear<T>() implements Change<T> {
    }

    record Set<T>(T value) implements Change<T> {
    }

    static <T> Change<T> keep() {
        return new Keep<>();
    }

    /** What a field of a body says: absent keeps, JSON null clears, anything else sets {@code read} of it. */
    static <T> Change<T> of(JsonNode field, Function<JsonNode, T> read) {
        if (field == null) {
            return new Keep<>();
        }
        return field.isNull() ? new Clear<>() : new Set<>(read.apply(field));
    }

    /** The setting after this change, from what it was. */
    default T applyTo(T current) {
        return switch (this) {
            case Keep<T> keep -> current;
            case Clear<T> clear -> null;
            case Set<T> set -> set.value();
        };
    }

}
