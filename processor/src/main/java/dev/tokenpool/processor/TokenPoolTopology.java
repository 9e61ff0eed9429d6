package dev.tokenpool.processor;

import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The token pool topology: commands keyed by project ID go through one processor that owns the pool
 * stores; each result goes to the topic its command named in {@code replyTo}, and records that
 * cannot be answered go to the dead-letter topic.
 *
 * <pre>
 * commands ──▶ pool (pool-tokens, pool-order, pool-meta) ──┬─▶ replyTo topic of each command
 *                 ▲                                        └─▶ dead letters
 * projects ──▶ project-settings (global store: pool limit per project)
 * </pre>
 *
 * Drive it with {@code new TopologyTestDriver(TokenPoolTopology.build(TokenPoolConfig.defaults()))}.
 */
public final class TokenPoolTopology {
    static final String SOURCE = "commands";
    static final String POOL = "pool";
    static final String REPLIES = "replies";
    static final String DEAD_LETTERS = "dead-letters";
    static final String PROJECTS_SOURCE = "projects";
    static final String PROJECTS = "project-settings-updater";

    private TokenPoolTopology() {
    }

    /** The topology with every reply topic taken to exist, as TopologyTestDriver needs. */
    public static Topology build(TokenPoolConfig config) {
        return build(config, ReplyTopics.ANY);
    }

    public static Topology build(TokenPoolConfig config, ReplyTopics replyTopics) {
        TopicNameExtractor<String, PoolResult> replyTo = (key, result, recordContext) -> result.replyTo();

        Topology topology = new Topology();
        // Values are read as raw bytes: the processor decodes them itself, so no record can fail deserialization.
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.commandsTopic());
        topology.addProcessor(POOL, () -> new PoolCommandProcessor(config.defaultPoolLimit(), replyTopics), SOURCE);
        PoolStores.builders().forEach(store -> topology.addStateStore(store, POOL));
        topology.addSink(REPLIES, replyTo, new StringSerializer(), TokenPoolSerdes.result().serializer(), POOL);
        topology.addSink(DEAD_LETTERS, config.deadLetterTopic(), new StringSerializer(), new ByteArraySerializer(), POOL);
        topology.addGlobalStore(ProjectSettingsStore.builder(), PROJECTS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), config.projectsTopic(), PROJECTS, ProjectSettingsStore.Updater::new);
        return topology;
    }
}
