package dev.tokenpool.processor;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which topics a result may be written to. A command names its reply topic itself, so without a
 * rule one record could aim its result at a changelog (corrupting a pool), at the commands topic
 * (answering itself forever) or at the registry (overwriting a project). A reply topic must start
 * with an application's reply prefix ({@code tokenpool.replies.} by default) or a gateway's
 * ({@code tokenpool.gateway-replies.}), or match the operator's allow pattern, and is never an
 * internal topic, a changelog or repartition topic, or one of tokenpool's own topics
 * ({@link TopologySettings#ownTopics()}, webhook delivery's), whatever the pattern says.
 */
final class ReplyPolicy {
    private final List<String> prefixes;
    private final Pattern allowed;
    private final Set<String> ownTopics;
    private final String webhookTopicPrefix;

    ReplyPolicy(TopologySettings settings) {
        this.prefixes = List.of(settings.replyTopicPrefix(), settings.gatewayReplyTopicPrefix());
        this.allowed = settings.replyTopicAllow();
        this.ownTopics = Set.copyOf(settings.ownTopics().values());
        this.webhookTopicPrefix = settings.webhookTopicPrefix();
    }

    /** Why results may not go to {@code topic}, or empty when they may. */
    Optional<String> refusal(String topic) {
        if (topic.startsWith("__") || topic.endsWith("-changelog") || topic.endsWith("-repartition")) {
            return Optional.of("replyTo '" + topic + "' is an internal, changelog or repartition topic");
        }
        if (ownTopics.contains(topic) || topic.startsWith(webhookTopicPrefix)) {
            return Optional.of("replyTo '" + topic + "' is one of tokenpool's own topics");
        }
        boolean prefixed =
                prefixes.stream().anyMatch(prefix -> topic.startsWith(prefix) && topic.length() > prefix.length());
        if (prefixed || allowed != null && allowed.matcher(topic).matches()) {
            return Optional.empty();
        }
        return Optional.of("replyTo '" + topic + "' is not an allowed reply topic: it must start with '"
                + String.join("' or '", prefixes) + "'"
                + (allowed == null ? "" : " or match '" + allowed.pattern() + "'")
                + " (TOKENPOOL_REPLY_TOPIC_PREFIX, TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX, TOKENPOOL_REPLY_TOPIC_ALLOW)");
    }
}
