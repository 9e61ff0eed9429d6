package dev.tokenpool.gateway;

/** What an admin body says of one setting: nothing (keep it), JSON null (clear it), or a value (set it). */
sealed interface Change<T> {
    record Keep<T>() implements Change<T> {}

    record Clear<T>() implements Change<T> {}

    record Set<T>(T value) implements Change<T> {}

    static <T> Change<T> keep() {
        return new Keep<>();
    }

    static <T> Change<T> clear() {
        return new Clear<>();
    }

    static <T> Change<T> set(T value) {
        return new Set<>(value);
    }

    /** Whether this changes the setting at all. */
    default boolean changes() {
        return !(this instanceof Keep<T>);
    }

    /** Whether this sets the setting to {@code value}. */
    default boolean sets(T value) {
        return this instanceof Set<T>(T set) && set.equals(value);
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
