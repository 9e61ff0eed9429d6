package dev.tokenpool.schemas;

/** The outcome of checking a request: the typed value, or the error to answer with. */
public sealed interface Validation<T> {

    record Valid<T>(T value) implements Validation<T> {
    }

    record Invalid<T>(ErrorResponse error) implements Validation<T> {
    }

    static <T> Validation<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Validation<T> invalid(ErrorResponse error) {
        return new Invalid<>(error);
    }

    static <T> Validation<T> invalid(ErrorCode code, String message) {
        return new Invalid<>(code.response(message));
    }
}
