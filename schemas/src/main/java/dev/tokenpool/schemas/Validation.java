package dev.tokenpool.schemas;

import java.util.function.Function;

/**
 * The outcome of checking anything that comes in (a request, a command, a setting): the typed value,
 * or the error to answer with. The one "valid or error" type of tokenpool, from the edge to the
 * processor.
 */
public sealed interface Validation<T> {

    record Valid<T>(T value) implements Validation<T> {}

    record Invalid<T>(ErrorResponse error) implements Validation<T> {}

    static <T> Validation<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Validation<T> invalid(ErrorResponse error) {
        return new Invalid<>(error);
    }

    static <T> Validation<T> invalid(ErrorCode code, String message) {
        return new Invalid<>(code.response(message));
    }

    /** The next check on a valid value; an error stays the error. */
    default <R> Validation<R> flatMap(Function<? super T, Validation<R>> next) {
        return switch (this) {
            case Valid<T> valid -> next.apply(valid.value());
            case Invalid<T> invalid -> new Invalid<>(invalid.error());
        };
    }

    default <R> Validation<R> map(Function<? super T, ? extends R> convert) {
        return flatMap(value -> valid(convert.apply(value)));
    }
}
