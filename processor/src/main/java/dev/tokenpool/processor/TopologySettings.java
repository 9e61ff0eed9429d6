package dev.tokenpool.processor;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.Topics;
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
 */
public record TopologySettings(String commandsTopic, String deadLetterTopic, String projectsTopic,
                               String replyTopicPrefix, Pattern replyTopicAllow) {

    public static TopologySettings defaults() {
        return new TopologySettings(Topics.COMMANDS, Topics.DEAD_LETTERS, Topics.PROJECTS, Topics.REPLIES_PREFIX, null);
    }

    /**
     * Reads TOKENPOOL_COMMANDS_TOPIC, TOKENPOOL_DEAD_LETTER_TOPIC, TOKENPOOL_PROJECTS_TOPIC,
     * TOKENPOOL_REPLY_TOPIC_PREFIX and TOKENPOOL_REPLY_TOPIC_ALLOW (a Java regular expression).
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
                pattern);
    }

    /** The same settings with results also allowed on topics matching {@code pattern}. */
    public TopologySettings withReplyTopicAllow(String pattern) {
        return new TopologySettings(commandsTopic, deadLetterTopic, projectsTopic, replyTopicPrefix, Pattern.compile(pattern));
    }
}
