package dev.tokenpool.gateway;

/** A command could not be handed to Kafka. */
final class KafkaUnavailableException extends RuntimeException {
    KafkaUnavailableException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
