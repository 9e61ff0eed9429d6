package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** Which end of the registration order a time-based delete takes tokens from. */
public enum Order {
    /** Oldest registered first. */
    ASC("asc"),
    /** Newest registered first. */
    DESC("desc");

    private final String wire;

    Order(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Order> fromWire(String value) {
        for (Order o : values()) {
            if (o.wire.equals(value)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
