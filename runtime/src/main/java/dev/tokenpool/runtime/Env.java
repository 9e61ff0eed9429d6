package dev.tokenpool.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings read from environment variables, with an error that names the variable and says what it
 * must be when a value cannot be used (instead of a bare {@link NumberFormatException}).
 */
public final class Env {
    private final Map<String, String> variables;

    public Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The same variables, with {@code defaults} for those unset or empty (how the standalone gives its own defaults). */
    public Env withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new java.util.HashMap<>(defaults);
        variables.forEach((name, value) -> {
            if (!value.isBlank()) {
                merged.put(name, value);
            }
        });
        return new Env(merged);
    }

    /** The value, or {@code fallback} when the variable is unset or empty. */
    public String text(String name, String fallback) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The value, or null when the variable is unset or empty. */
    public String textOrNull(String name) {
        return text(name, null);
    }

    public int integer(String name, int fallback, int min, int max) {
        return (int) number(name, fallback, min, max);
    }

    public long number(String name, long fallback, long min, long max) {
        long value = parse(name, Long.toString(fallback), Long::parseLong, "a whole number");
        if (value < min || value > max) {
            throw new BadSetting(name, text(name, ""), "a whole number from " + min + " to " + max);
        }
        return value;
    }

    public Duration millis(String name, long fallback, long min, long max) {
        return Duration.ofMillis(number(name, fallback, min, max));
    }

    /** The value, which must be one of {@code allowed}. */
    public String oneOf(String name, String fallback, java.util.Set<String> allowed) {
        String value = text(name, fallback);
        if (!allowed.contains(value)) {
            throw new BadSetting(name, value, "one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return value;
    }

    private <T> T parse(String name, String fallback, Function<String, T> parser, String expected) {
        String value = text(name, fallback);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new BadSetting(name, value, expected);
        }
    }

    /** A variable whose value cannot be used; the message is fit to show as it is. */
    public static final class BadSetting extends IllegalArgumentException {
        public BadSetting(String name, String value, String expected) {
            super(name + " must be " + expected + ", not '" + value + "'");
        }

        public BadSetting(String message) {
            super(message);
        }
    }
}
