package dev.tokenpool.schemas;

/** Default names of tokenpool's topics; every one can be changed by configuration. */
public final class Topics {
    /** Commands, keyed by project ID. */
    public static final String COMMANDS = "tokenpool.commands";
    /** Records the processor could not answer, with the reason in a header. */
    public static final String DEAD_LETTERS = "tokenpool.dead-letters";
    /** Compacted project registry, keyed by project ID. */
    public static final String PROJECTS = "tokenpool.projects";
    /** Token lifecycle events ({@link TokenEvent}), keyed by project ID. */
    public static final String EVENTS = "tokenpool.events";
    /** One audit record per mutation, keyed by project ID; never a token ID. */
    public static final String AUDIT = "tokenpool.audit";
    /**
     * Webhook deliveries waiting for a retry ({@code WEBHOOKS_PREFIX + "retry-" + delay}, one topic a delay of the
     * schedule) and those that ran out of attempts ({@code WEBHOOKS_PREFIX + "dead-letters"}), keyed by project ID.
     */
    public static final String WEBHOOKS_PREFIX = "tokenpool.webhooks.";
    /** Reply topics of applications that produce commands themselves (theirs to create). */
    public static final String REPLIES_PREFIX = "tokenpool.replies.";
    /**
     * Each gateway instance reads its results from {@code GATEWAY_REPLIES_PREFIX + gatewayId}: a prefix apart from
     * {@link #REPLIES_PREFIX}, so that a prefixed ACL can give applications their reply topics and not the gateways'.
     */
    public static final String GATEWAY_REPLIES_PREFIX = "tokenpool.gateway-replies.";

    private Topics() {}
}
