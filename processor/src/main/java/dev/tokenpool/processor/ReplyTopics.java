package dev.tokenpool.processor;

/**
 * Tells whether a command's reply topic exists. Producing to a missing topic would stall the
 * stream thread on metadata and then fail it, so results for missing topics go to the dead-letter
 * topic instead.
 */
@FunctionalInterface
public interface ReplyTopics {
    /** Every topic counts as existing: for TopologyTestDriver, which accepts any output topic. */
    ReplyTopics ANY = topic -> true;

    boolean exists(String topic);
}
