package dev.tokenpool.schemas;

/** Default names of tokenpool's topics; every one can be changed by configuration. */
public final class Topics {
    /** Commands, keyed by project ID. */
    public static final String COMMANDS = "tokenpool.commands";
    /** Records the processor could not answer, with the reason in a header. */
    public static final String DEAD_LETTERS = "tokenpool.dead-letters";
    /** Compacted project registry, keyed by project ID. */
    public static final String PROJECTS = "tokenpool.projects";
    /** Token lifecycle events ({@code token_expired}), keyed by project ID. */
    public static final String EVENTS = "tokenpool.events";
    /** One audit record per mutation, keyed by project ID; never a token ID. */
    public static final String AUDIT = "tokenpool.audit";
    /** Each gateway instance reads its results from {@code REPLIES_PREFIX + gatewayId}. */
    public static final String REPLIES_PREFIX = "tokenpool.replies.";

    private Topics() {
    }
}
