package dev.tokenpool.processor;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.Topics;

/**
 * What the topology needs to know: its topics and the pool limit of projects that have none of
 * their own.
 *
 * @param commandsTopic    command records, keyed by project ID
 * @param deadLetterTopic  records that could not be answered, with the reason in a header
 * @param projectsTopic    compacted project registry (per-project settings such as the pool limit)
 * @param defaultPoolLimit pool limit of a project without one of its own
 */
public record TopologySettings(String commandsTopic, String deadLetterTopic, String projectsTopic, long defaultPoolLimit) {
    public TopologySettings {
        if (defaultPoolLimit < 1) {
            throw new IllegalArgumentException("defaultPoolLimit must be at least 1");
        }
    }

    public static TopologySettings defaults() {
        return new TopologySettings(Topics.COMMANDS, Topics.DEAD_LETTERS, Topics.PROJECTS, PoolLimits.DEFAULT_POOL_LIMIT);
    }

    /** Reads TOKENPOOL_COMMANDS_TOPIC, TOKENPOOL_DEAD_LETTER_TOPIC, TOKENPOOL_PROJECTS_TOPIC, TOKENPOOL_DEFAULT_POOL_LIMIT. */
    public static TopologySettings from(Env env) {
        TopologySettings d = defaults();
        return new TopologySettings(
                env.text("TOKENPOOL_COMMANDS_TOPIC", d.commandsTopic()),
                env.text("TOKENPOOL_DEAD_LETTER_TOPIC", d.deadLetterTopic()),
                env.text("TOKENPOOL_PROJECTS_TOPIC", d.projectsTopic()),
                env.number("TOKENPOOL_DEFAULT_POOL_LIMIT", d.defaultPoolLimit(), 1, Long.MAX_VALUE));
    }
}
