package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One setting of tokenpool, defined once: its variable, its default as the docs show it, who reads it, what it
 * means, and how its value is read and checked. {@link Settings} lists them all; the settings classes read
 * through them, and the configuration table of the docs is {@link Settings#table()}.
 *
 * @param standaloneDefault the value the standalone uses when the variable is unset, where it differs (null: the same)
 */
public record Setting<T>(
        String name,
        String shownDefault,
        String standaloneDefault,
        List<Part> readBy,
        String meaning,
        Function<Env, T> reader) {

    /** Which part of tokenpool reads a setting. */
    public enum Part {
        GATEWAY("gateway"),
        PROCESSOR("processor"),
        STANDALONE("standalone"),
        LAUNCHER("`./tokenpool`");

        final String shown;

        Part(String shown) {
            this.shown = shown;
        }
    }

    /** The value of this setting in {@code env}, checked; an unusable value throws {@link Env.BadSetting}. */
    public T from(Env env) {
        return reader.apply(env);
    }

    /** The same setting with the standalone's own default. */
    Setting<T> inTheStandalone(String value) {
        return new Setting<>(name, shownDefault, value, readBy, meaning, reader);
    }

    static Setting<String> text(String name, String fallback, String meaning, Part... readBy) {
        return withDefault(name, fallback, meaning, readBy, env -> env.text(name, fallback));
    }

    /** A setting that may be unset: its reader answers null then; {@code unset} says what that means. */
    static Setting<String> optional(String name, String unset, String meaning, Part... readBy) {
        return custom(name, unset, meaning, env -> env.textOrNull(name), readBy);
    }

    static Setting<Integer> integer(String name, int fallback, int min, int max, String meaning, Part... readBy) {
        return withDefault(name, fallback, meaning, readBy, env -> env.integer(name, fallback, min, max));
    }

    /** A whole number that may be unset (null): {@code unset} says what that means. */
    static Setting<Long> optionalNumber(String name, long min, long max, String unset, String meaning, Part... readBy) {
        return custom(
                name,
                unset,
                meaning,
                env -> env.textOrNull(name) == null ? null : env.number(name, min, min, max),
                readBy);
    }

    static Setting<Long> number(String name, long fallback, long min, long max, String meaning, Part... readBy) {
        return withDefault(name, fallback, meaning, readBy, env -> env.number(name, fallback, min, max));
    }

    static Setting<Duration> millis(String name, long fallback, long min, long max, String meaning, Part... readBy) {
        return withDefault(name, fallback, meaning, readBy, env -> env.millis(name, fallback, min, max));
    }

    static Setting<Boolean> flag(String name, boolean fallback, String meaning, Part... readBy) {
        return withDefault(
                name,
                fallback,
                meaning,
                readBy,
                env -> env.oneOf(name, Boolean.toString(fallback), Set.of("true", "false"))
                        .equals("true"));
    }

    static <T> Setting<T> custom(
            String name, String shownDefault, String meaning, Function<Env, T> reader, Part... readBy) {
        return new Setting<>(name, shownDefault, null, List.of(readBy), meaning, reader);
    }

    /** A setting whose default is a plain value, shown as code. */
    private static <T> Setting<T> withDefault(
            String name, Object fallback, String meaning, Part[] readBy, Function<Env, T> reader) {
        return custom(name, "`" + fallback + "`", meaning, reader, readBy);
    }
}
