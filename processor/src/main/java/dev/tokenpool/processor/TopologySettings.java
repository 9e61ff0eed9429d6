package dev.tokenpool.processor;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.Settings;
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
 * @param eventsTopic             token events, keyed by project ID
 * @param webhookTopicPrefix      webhook delivery's own topics (retries, dead letters): never a reply topic
 * @param auditTopic              one audit record per mutation, keyed by project ID
 * @param volumeDeletionInterval  how often each pool's volume deletion rule is checked
 * @param rulesBudget             the most tokens the project rules (expiry, volume deletion) handle per second and
 *                                task: a large sweep goes on over the following seconds instead of stalling commands
 * @param idempotencyRetention    how long a command's result is kept for retries with its idempotency key
 * @param maxIdempotencyKeys      the most idempotency keys one project holds at once
 */
public record TopologySettings(
        String commandsTopic,
        String deadLetterTopic,
        String projectsTopic,
        String replyTopicPrefix,
        String gatewayReplyTopicPrefix,
        Pattern replyTopicAllow,
        String eventsTopic,
        String webhookTopicPrefix,
        String auditTopic,
        Duration volumeDeletionInterval,
        int rulesBudget,
        Duration idempotencyRetention,
        long maxIdempotencyKeys) {

    /** tokenpool's own topics: every one is created at start ({@link TopicSetup}) and none is ever a reply topic. */
    public enum OwnTopic {
        COMMANDS,
        DEAD_LETTERS,
        PROJECTS,
        EVENTS,
        AUDIT
    }

    public static TopologySettings defaults() {
        return from(new Env(Map.of()));
    }

    public static TopologySettings from(Env env) {
        String allow = Settings.REPLY_TOPIC_ALLOW.from(env);
        Pattern pattern = null;
        if (allow != null) {
            try {
                pattern = Pattern.compile(allow);
            } catch (PatternSyntaxException e) {
                throw new Env.BadSetting(
                        Settings.REPLY_TOPIC_ALLOW.name(), allow, "a regular expression (" + e.getDescription() + ")");
            }
        }
        return new TopologySettings(
                Settings.COMMANDS_TOPIC.from(env),
                Settings.DEAD_LETTER_TOPIC.from(env),
                Settings.PROJECTS_TOPIC.from(env),
                Settings.REPLY_TOPIC_PREFIX.from(env),
                Settings.GATEWAY_REPLY_TOPIC_PREFIX.from(env),
                pattern,
                Settings.EVENTS_TOPIC.from(env),
                Settings.WEBHOOK_TOPIC_PREFIX.from(env),
                Settings.AUDIT_TOPIC.from(env),
                Settings.VOLUME_DELETION_INTERVAL.from(env),
                Settings.RULES_BUDGET.from(env),
                min(Settings.IDEMPOTENCY_RETENTION.from(env), Settings.DELETED_DATA_RETENTION.from(env)),
                Settings.IDEMPOTENCY_MAX_KEYS.from(env));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The name of each of tokenpool's own topics. */
    public Map<OwnTopic, String> ownTopics() {
        Map<OwnTopic, String> topics = new EnumMap<>(OwnTopic.class);
        for (OwnTopic topic : OwnTopic.values()) {
            topics.put(
                    topic,
                    switch (topic) {
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
