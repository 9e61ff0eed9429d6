package dev.tokenpool.processor;

import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.Topics;
import java.util.Map;

/**
 * What the topology needs to know: its topics and the pool limit of projects that have none of
 * their own.
 *
 * @param commandsTopic    command records, keyed by project ID
 * @param deadLetterTopic  records that could not be answered, with the reason in a header
 * @param projectsTopic    compacted project registry (per-project settings such as the pool limit)
 * @param defaultPoolLimit pool limit of a project without one of its own
 */
public record TokenPoolConfig(String commandsTopic, String deadLetterTopic, String projectsTopic, long defaultPoolLimit) {
    public TokenPoolConfig {
        if (defaultPoolLimit < 1) {
            throw new IllegalArgumentException("defaultPoolLimit must be at least 1");
        }
    }

    public static TokenPoolConfig defaults() {
        return new TokenPoolConfig(Topics.COMMANDS, Topics.DEAD_LETTERS, Topics.PROJECTS, PoolLimits.DEFAULT_POOL_LIMIT);
    }

    /** Reads TOKENPOOL_COMMANDS_TOPIC, TOKENPOOL_DEAD_LETTER_TOPIC, TOKENPOOL_PROJECTS_TOPIC, TOKENPOOL_DEFAULT_POOL_LIMIT. */
    public static TokenPoolConfig fromEnv(Map<String, String> env) {
        TokenPoolConfig d = defaults();
        return new TokenPoolConfig(
                env.getOrDefault("TOKENPOOL_COMMANDS_TOPIC", d.commandsTopic()),
                env.getOrDefault("TOKENPOOL_DEAD_LETTER_TOPIC", d.deadLetterTopic()),
                env.getOrDefault("TOKENPOOL_PROJECTS_TOPIC", d.projectsTopic()),
                Long.parseLong(env.getOrDefault("TOKENPOOL_DEFAULT_POOL_LIMIT", Long.toString(d.defaultPoolLimit()))));
    }
}
