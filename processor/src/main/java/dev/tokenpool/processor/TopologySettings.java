package dev.tokenpool.processor;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.Topics;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the topology needs to know: its topics, and where results may go.
 *
 * @param commandsTopic    command records, keyed by project ID
 * @param deadLetterTopic  records that could not be answered, with the reason in a header
 * @param projectsTopic    compacted project registry: only its projects are served, with their settings
 * @param replyTopicPrefix results may go to topics with this prefix (the gateways' reply topics)
 * @param replyTopicAllow  and to topics matching this pattern, for other producers' reply topics (null: none)
 * @param eventsTopic      token_expired events, keyed by project ID
 * @param auditTopic       one audit record per mutation, keyed by project ID
 * @param volumeDeletionInterval how often each pool's volume deletion rule is checked
 * @param rulesBudget      the most tokens the project rules (expiry, volume deletion) handle per second and
 *                         task: a large sweep goes on over the following seconds instead of stalling commands
 */
public record TopologySettings(String commandsTopic, String deadLetterTopic, String projectsTopic,
                               String replyTopicPrefix, Pattern replyTopicAllow, String eventsTopic, String auditTopic,
                               Duration volumeDeletionInterval, int rulesBudget) {
    public static final Duration DEFAULT_VOLUME_DELETION_INTERVAL = Duration.ofMinutes(5);
    public static final int DEFAULT_RULES_BUDGET = 10_000;

    public static TopologySettings defaults() {
        return new TopologySettings(Topics.COMMANDS, Topics.DEAD_LETTERS, Topics.PROJECTS, Topics.REPLIES_PREFIX, null,
                Topics.EVENTS, Topics.AUDIT, DEFAULT_VOLUME_DELETION_INTERVAL, DEFAULT_RULES_BUDGET);
    }

    /**
     * Reads TOKENPOOL_COMMANDS_TOPIC, TOKENPOOL_DEAD_LETTER_TOPIC, TOKENPOOL_PROJECTS_TOPIC,
     * TOKENPOOL_REPLY_TOPIC_PREFIX, TOKENPOOL_REPLY_TOPIC_ALLOW (a Java regular expression),
     * TOKENPOOL_EVENTS_TOPIC, TOKENPOOL_AUDIT_TOPIC, TOKENPOOL_VOLUME_DELETION_INTERVAL_MS [300000]
     * and TOKENPOOL_RULES_BUDGET [10000].
     */
    public static TopologySettings from(Env env) {
        TopologySettings d = defaults();
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
                env.text("TOKENPOOL_COMMANDS_TOPIC", d.commandsTopic()),
                env.text("TOKENPOOL_DEAD_LETTER_TOPIC", d.deadLetterTopic()),
                env.text("TOKENPOOL_PROJECTS_TOPIC", d.projectsTopic()),
                env.text("TOKENPOOL_REPLY_TOPIC_PREFIX", d.replyTopicPrefix()),
                pattern,
                env.text("TOKENPOOL_EVENTS_TOPIC", d.eventsTopic()),
                env.text("TOKENPOOL_AUDIT_TOPIC", d.auditTopic()),
                env.millis("TOKENPOOL_VOLUME_DELETION_INTERVAL_MS", d.volumeDeletionInterval().toMillis(), 100, Long.MAX_VALUE),
                env.integer("TOKENPOOL_RULES_BUDGET", d.rulesBudget(), 1, 1_000_000));
    }

    /** The same settings with results also allowed on topics matching {@code pattern}. */
    public TopologySettings withReplyTopicAllow(String pattern) {
        return new TopologySettings(commandsTopic, deadLetterTopic, projectsTopic, replyTopicPrefix, Pattern.compile(pattern),
                eventsTopic, auditTopic, volumeDeletionInterval, rulesBudget);
    }

    /** The same settings with the volume deletion rule checked every {@code interval}. */
    public TopologySettings withVolumeDeletionInterval(Duration interval) {
        return new TopologySettings(commandsTopic, deadLetterTopic, projectsTopic, replyTopicPrefix, replyTopicAllow,
                eventsTopic, auditTopic, interval, rulesBudget);
    }

    /** The same settings with the project rules handling at most {@code tokens} per second and task. */
    public TopologySettings withRulesBudget(int tokens) {
        return new TopologySettings(commandsTopic, deadLetterTopic, projectsTopic, replyTopicPrefix, replyTopicAllow,
                eventsTopic, auditTopic, volumeDeletionInterval, tokens);
    }
}
