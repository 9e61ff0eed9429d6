package dev.tokenpool.schemas;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Serdes for tokenpool's topics, for the gateway, the processor and any other Kafka client. */
public final class TokenPoolSerdes {

    private TokenPoolSerdes() {}

    /** Command values. Deserializing throws {@link SerializationException} for anything but a valid command. */
    public static Serde<CommandEnvelope> command() {
        Serializer<CommandEnvelope> serializer =
                (topic, envelope) -> envelope == null ? null : CommandCodec.encode(envelope);
        Deserializer<CommandEnvelope> deserializer = (topic, bytes) -> switch (CommandCodec.decode(bytes)) {
            case DecodedCommand.Accepted accepted -> accepted.envelope();
            case DecodedCommand.Refused refused ->
                throw new SerializationException(
                        "invalid command: " + refused.error().errorMessage());
            case DecodedCommand.Unreadable unreadable ->
                throw new SerializationException("unreadable command: " + unreadable.reason());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Project registry values. */
    public static Serde<ProjectRecord> project() {
        return new JsonSerde<>(ProjectRecord.class);
    }

    /** Result values. */
    public static Serde<PoolResult> result() {
        return new JsonSerde<>(PoolResult.class);
    }

    /** Token lifecycle event values ({@link TokenExpiredEvent}, {@link TokenReuseAttemptedEvent}). */
    public static Serde<TokenEvent> event() {
        return new JsonSerde<>(TokenEvent.class);
    }

    /** Audit record values. */
    public static Serde<AuditRecord> audit() {
        return new JsonSerde<>(AuditRecord.class);
    }
}
