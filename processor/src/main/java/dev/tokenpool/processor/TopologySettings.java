package dev.tokenpool.processor;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.Topics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the topology needs to know: its topics, and where results may go.
 *
 * @param commandsTopic           command records, keyed by project ID
 * @param deadLetterTopic         records that could not be answered, with the reason in a header
 * @param projectsTopic           compacted project registry: only its projects are served, with their settings
 * @param replyTopicPrefix        results may go to topics with this prefix (applications' reply topics)
 * @param gatewayReplyTopicPrefix and to topics with this one (the gateways' own reply topics)
 * @param replyTopicAllow         and to topics matching this pattern, for other producers' reply topics (null: none)
 * @param eventsTopic             token_expired events, keyed by project ID
 * @param auditTopic              one audit record per mutation, keyed by project ID
 * @param volumeDeletionInterval  how often each pool's volume deletion rule is checked
 * @param rulesBudget             the most tokens the project rules (expiry, volume deletion) handle per second and
 *                                task: a large sweep goes on over the following seconds instead of stalling commands
 */
public record TopologySettings(String commandsTopic, String deadLetterTopic, String projectsTopic,
                               String replyTopicPrefix, String gatewayReplyTopicPrefix, Pattern replyTopicAllow,
                               String eventsTopic, String auditTopic, Duration volumeDeletionInterval, int rulesBudget) {
    public static final Duration DEFAULT_VOLUME_DELETION_INTERVAL = Duration.ofMinutes(5);
    public static final int DEFAULT_RULES_BUDGET = 10_000;

    /** tokenpool's own topics: every one is created at start ({@link TopicSetup}) and none is ever a reply topic. */
    public enum OwnTopic { COMMANDS, DEAD_LETTERS, PROJECTS, EVENTS, AUDIT }

    public static TopologySettings defaults() {
        return from(new Env(Map.of()));
    }

    public static TopologySettings from(Env env) {
        String allow = env.textOrNull("TOKENPOOL_REPLY_TOPIC_ALLOW");
        Pattern pattern = null;
        if (allow != null) {
            try {
                pattern = Pattern.compile(allow);
            } catch (PatternSyntaxException e) {
                throw new Env.BadSetting("TOKENPOOL_REPLY_TOPIC_ALLOW", allow, "a regular expression (" + e.getDescription() + ")");
            }
        }
        return new TopologySettings(
                env.text("TOKENPOOL_COMMANDS_TOPIC", Topics.COMMANDS),
                env.text("TOKENPOOL_DEAD_LETTER_TOPIC", Topics.DEAD_LETTERS),
                env.text("TOKENPOOL_PROJECTS_TOPIC", Topics.PROJECTS),
                env.text("TOKENPOOL_REPLY_TOPIC_PREFIX", Topics.REPLIES_PREFIX),
                env.text("TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX", Topics.GATEWAY_REPLIES_PREFIX),
                pattern,
                env.text("TOKENPOOL_EVENTS_TOPIC", Topics.EVENTS),
                env.text("TOKENPOOL_AUDIT_TOPIC", Topics.AUDIT),
                env.millis("TOKENPOOL_VOLUME_DELETION_INTERVAL_MS", DEFAULT_VOLUME_DELETION_INTERVAL.toMillis(), 100, Long.MAX_VALUE),
                env.integer("TOKENPOOL_RULES_BUDGET", DEFAULT_RULES_BUDGET, 1, 1_000_000));
    }

    /** The name of each of tokenpool's own topics. */
    public Map<OwnTopic, String> ownTopics() {
        Map<OwnTopic, String> topics = new EnumMap<>(OwnTopic.class);
        for (OwnTopic topic : OwnTopic.values()) {
            topics.put(topic, switch (topic) {
                case COMMANDS -> commandsTopic;
                case DEAD_LETTERS -> deadLetterTopic;
                case PROJECTS -> projectsTopic;
                case EVENTS -> eventsTopic;
                case AUDIT -> auditTopic;
            });
        }
        return topics;
    }
}
